// The relay workers of this instance (NEXUS_RELAY_WORKERS): child processes that run console
// relays (relay-worker.ts), so relaying uses every core while tickets, the books, revocation and
// metrics stay with the consoles service. Each console goes to the worker with the fewest; its
// browser socket travels there before the 101 (Node passes the socket itself, which a worker
// thread cannot take — hence processes). A `RemoteRelay` stands for it here: the service treats
// it as it treats a relay of its own, and the worker's requests reach the same hooks. A worker
// that dies ends its consoles (closed in the books) and is replaced.
import { type ChildProcess, fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import type { Logger } from '../../lib/logger';
import { type CloseReason, type RelayHooks, type RelayResult, upstreamFailure } from './console-relay';
import type { FromWorker, RelayKind, RelayStats, RelayWorkerInit, ToWorker, UpgradeRequest } from './relay-protocol';

/** What the consoles service holds of a relay, wherever it runs. */
export interface RelayHandle {
  close(reason: CloseReason): void;
  readonly stats: RelayStats;
}

/** A browser socket taken over before the WebSocket handshake, for a worker to answer. */
export interface HandedSocket {
  socket: Socket;
  upgrade: UpgradeRequest;
}

/** A worker that stopped within this of its start is replaced only after as long again. */
const RESPAWN_AFTER_QUICK_EXIT_MS = 2_000;

/** How long a stopping pool waits for its workers' consoles to report their close. */
const SHUTDOWN_GRACE_MS = 5_000;

class Worker {
  readonly relays = new Map<string, RemoteRelay>();
  readonly startedAt = Date.now();
  constructor(readonly child: ChildProcess) {}

  post(message: ToWorker, socket?: Socket, failed?: (err: Error) => void): void {
    if (!this.child.connected) {
      socket?.destroy();
      failed?.(new Error('relay worker gone'));
      return;
    }
    // Node would have the listening server ask this child about the socket when it closes (the
    // cluster module's bookkeeping) and wait for an answer a stopped worker never gives, so the
    // server's close would hang. Instead the socket's object here stays, without its handle,
    // until its console lets go of it (`RemoteRelay.release`): destroying it then ends only this
    // process's object, and the server and the per-address connection cap count it until then.
    if (socket) {
      (socket as unknown as { server: unknown }).server = null;
      // This process stops reading at once: until the worker has the socket, whatever the browser
      // sends (its answer to the worker's first bytes can come within a millisecond) would be read
      // here and dropped.
      (socket as unknown as { _handle?: { readStop?: () => number } })._handle?.readStop?.();
    }
    this.child.send(message, socket, { keepOpen: false }, (err) => {
      if (!err) return;
      socket?.destroy();
      failed?.(err);
    });
  }
}

/** A relay running in a worker, as the consoles service sees it. */
export class RemoteRelay implements RelayHandle {
  stats: RelayStats = { bytesUp: 0, bytesDown: 0, droppedInput: 0, established: false };
  isFinished = false;
  /** Its browser dropped; the worker keeps Proxmox's console for a re-attach. */
  detached = false;
  readonly abort = new AbortController();
  /** This process's object of the browser socket the worker holds (see Worker.post). */
  private held: Socket | undefined;

  constructor(
    readonly id: string,
    private readonly worker: Worker,
    readonly hooks: RelayHooks,
    socket: Socket,
  ) {
    this.held = socket;
  }

  /** The worker no longer holds the browser socket this object stands for. */
  release(): void {
    this.held?.destroy();
    this.held = undefined;
  }

  close(reason: CloseReason): void {
    if (!this.isFinished) this.worker.post({ t: 'close', id: this.id, reason });
  }

  /** Hands a fresh browser socket to the worker's relay waiting for one; false when it waits no
   * more (ended, or a browser is attached). */
  reattach(handed: HandedSocket): boolean {
    if (this.isFinished || !this.detached) return false;
    this.detached = false;
    this.held = handed.socket;
    this.worker.post({ t: 'reattach', id: this.id, upgrade: handed.upgrade }, handed.socket);
    return true;
  }

  /** The worker asks for Proxmox's grant: vncproxy (or termproxy) runs here, the worker dials. */
  async grant(): Promise<void> {
    let answer: Extract<ToWorker, { t: 'grant' }>['grant'];
    try {
      const grant = await this.hooks.openUpstream(this.abort.signal);
      answer = grant.spec
        ? { password: grant.password, spec: grant.spec }
        : { failed: { code: CONSOLE_CLOSE.internal, reason: 'this console cannot run in a relay worker' } };
    } catch (err) {
      answer = { failed: upstreamFailure(err) };
    }
    this.worker.post({ t: 'grant', id: this.id, grant: answer });
  }

  async explain(abnormal: boolean): Promise<void> {
    const close = (await this.hooks.explainUpstreamClose?.(abnormal).catch(() => null)) ?? null;
    this.worker.post({ t: 'explained', id: this.id, close });
  }

  /** The relay ended (reported by its worker, or with the worker). */
  closed(result: RelayResult): void {
    if (this.isFinished) return;
    this.isFinished = true;
    this.release();
    this.abort.abort();
    this.stats = { ...this.stats, bytesUp: result.bytesUp, bytesDown: result.bytesDown };
    this.hooks.onClosed(result);
  }
}

/** The worker's entry: the TypeScript source under tsx (development, tests), else the build's. */
function workerEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { file: fileURLToPath(new URL('./relay-worker.ts', here)), execArgv: ['--import', 'tsx'] };
  }
  return { file: fileURLToPath(new URL('./relay-worker.js', here)), execArgv: [] };
}

export class RelayPool {
  private readonly workers: Worker[] = [];
  private stopping = false;

  constructor(private readonly opts: { size: number; init: RelayWorkerInit; log: Pick<Logger, 'error' | 'warn'> }) {
    for (let i = 0; i < opts.size; i++) this.workers.push(this.spawn());
  }

  /** The workers' process ids (tests, diagnostics). */
  get pids(): number[] {
    return this.workers.map((w) => w.child.pid ?? 0);
  }

  private spawn(): Worker {
    const { file, execArgv } = workerEntry();
    const child = fork(file, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker = new Worker(child);
    child.on('message', (message: FromWorker) => this.onMessage(worker, message));
    child.on('exit', (code, signal) => this.onExit(worker, code, signal));
    child.on('error', (err) => this.opts.log.error({ err }, 'relay worker failed'));
    worker.post({ t: 'init', init: this.opts.init });
    return worker;
  }

  /** Starts a relay in the least busy worker with the browser's socket (before its 101). */
  open(args: {
    id: string;
    kind: RelayKind;
    handed: HandedSocket;
    options: Extract<ToWorker, { t: 'open' }>['options'];
    hooks: RelayHooks;
  }): RemoteRelay {
    if (this.workers.length === 0) this.workers.push(this.spawn()); // all stopped a moment ago
    const worker = this.workers.reduce((a, b) => (b.relays.size < a.relays.size ? b : a));
    const relay = new RemoteRelay(args.id, worker, args.hooks, args.handed.socket);
    worker.relays.set(args.id, relay);
    const message: ToWorker = {
      t: 'open',
      id: args.id,
      kind: args.kind,
      upgrade: args.handed.upgrade,
      options: args.options,
    };
    worker.post(message, args.handed.socket, () => {
      worker.relays.delete(args.id);
      relay.closed(lost(relay, 'the relay worker could not take the console'));
    });
    return relay;
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    if (message.t === 'ready') return;
    if (message.t === 'stats') {
      for (const [id, stats] of message.stats) {
        const relay = worker.relays.get(id);
        if (relay) relay.stats = stats;
      }
      return;
    }
    const relay = worker.relays.get(message.id);
    if (!relay) return;
    switch (message.t) {
      case 'grant':
        void relay.grant();
        return;
      case 'established':
        relay.stats = { ...relay.stats, established: true };
        relay.hooks.onEstablished?.(message.info);
        return;
      case 'detached':
        relay.release();
        relay.detached = true;
        relay.hooks.onDetached?.();
        return;
      case 'reattached':
        relay.hooks.onReattached?.({ detachedMs: message.detachedMs });
        return;
      case 'explain':
        void relay.explain(message.abnormal);
        return;
      case 'closed':
        worker.relays.delete(message.id);
        relay.closed(message.result);
        return;
    }
  }

  private onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
    for (const relay of worker.relays.values()) relay.closed(lost(relay, 'the relay worker stopped'));
    worker.relays.clear();
    if (this.stopping) return;
    this.opts.log.error({ code, signal }, 'a relay worker stopped; starting another');
    // One that dies at once (a broken install) is not restarted in a tight loop.
    const wait = Date.now() - worker.startedAt < RESPAWN_AFTER_QUICK_EXIT_MS ? RESPAWN_AFTER_QUICK_EXIT_MS : 0;
    setTimeout(() => {
      // `open` may have started one meanwhile, when none was left.
      if (!this.stopping && this.workers.length < this.opts.size) this.workers.push(this.spawn());
    }, wait).unref();
  }

  /** After the service closed every console: waits (briefly) for their last reports, then ends
   * the workers. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (this.workers.some((w) => w.relays.size > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) {
              resolve();
              return;
            }
            w.child.once('exit', () => resolve());
            w.child.disconnect();
            setTimeout(() => w.child.kill('SIGKILL'), 2_000).unref();
          }),
      ),
    );
  }
}

/** A relay whose worker is gone: what the books record. */
function lost(relay: RemoteRelay, reason: string): RelayResult {
  return {
    code: CONSOLE_CLOSE.internal,
    reason,
    by: 'nexus',
    established: relay.stats.established,
    bytesUp: relay.stats.bytesUp,
    bytesDown: relay.stats.bytesDown,
    droppedInput: relay.stats.droppedInput,
    setupMs: null,
    peakBufferedDown: 0,
    peakBufferedUp: 0,
  };
}
