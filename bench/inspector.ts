// A tiny Chrome DevTools Protocol client for a Node process started with `--inspect=127.0.0.1:0`:
// forces a full garbage collection and reads the heap. The soak uses it to measure what stays in
// Nexus's memory rather than where the GC sawtooth happens to be (a heap that grows from 40 to
// 100 MiB and drops back on each major GC says nothing about a leak in a 60 s run; the heap after
// a full collection does).
import fs from 'node:fs';
import WebSocket from 'ws';

export class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private onChunk: ((chunk: string) => void) | null = null;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as {
        id?: number;
        method?: string;
        params?: { chunk?: string };
        result?: unknown;
        error?: { message: string };
      };
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') this.onChunk?.(msg.params?.chunk ?? '');
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p || msg.id === undefined) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('inspector closed'));
      this.pending.clear();
    });
  }

  /** Waits for "Debugger listening on ws://…" in the process's output and connects. */
  static async attach(output: () => string, timeoutMs = 10_000): Promise<Inspector> {
    const deadline = Date.now() + timeoutMs;
    let url: string | undefined;
    while (!url) {
      url = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output())?.[1];
      if (url) break;
      if (Date.now() > deadline) throw new Error('no inspector URL in the output');
      await new Promise((r) => setTimeout(r, 50));
    }
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Inspector(ws);
  }

  call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** A full collection, then the heap's used size in bytes. */
  async heapAfterGc(): Promise<number> {
    await this.call('HeapProfiler.collectGarbage');
    return (await this.call<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  }

  /** Writes a heap snapshot (open it in Chrome DevTools → Memory; compare two to find a leak). */
  async heapSnapshot(file: string): Promise<void> {
    const out = fs.createWriteStream(file);
    this.onChunk = (chunk) => out.write(chunk);
    try {
      await this.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      this.onChunk = null;
      await new Promise((r) => out.end(r));
    }
  }

  /** Detaches (a process being stopped would otherwise wait for its debugger). */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((r) => this.ws.once('close', r));
    this.ws.close();
    await closed;
  }
}
