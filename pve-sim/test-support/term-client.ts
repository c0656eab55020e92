// A termproxy client for tests: calls a termproxy endpoint, opens the vncwebsocket, and speaks
// termproxy's line protocol (`<authid>:<ticket>\n` → `OK`, then `0:<len>:<data>`,
// `1:<cols>:<rows>:`, `2`) in text frames as Proxmox's xterm.js does — or sends any bytes at all.
import { type RawWebSocket, rawUpgrade } from './raw-websocket';
import { call } from './sim-client';

export interface TermproxyReply {
  user: string;
  ticket: string;
  port: string;
  upid: string;
}

interface Server {
  url: string;
  token: string;
}

/** POST `<base>/termproxy` (base: `/nodes/pve1` or `/nodes/pve1/lxc/200`), checking for 200. */
export async function termproxy(
  server: Server,
  base: string,
  opts: { token?: string; cookie?: string; csrf?: string; form?: Record<string, string> } = {},
): Promise<TermproxyReply> {
  const res = await call(server, 'POST', `${base}/termproxy`, {
    token: opts.cookie ? null : (opts.token ?? server.token),
    cookie: opts.cookie,
    csrf: opts.csrf,
    form: opts.form ?? {},
  });
  if (res.status !== 200) throw new Error(`termproxy: ${res.status} ${res.reason}`);
  return res.body.data as TermproxyReply;
}

export class TermTestClient {
  /** Everything the server sent after `OK`, decoded as UTF-8. */
  output = '';
  /** Everything the server sent, `OK` included. */
  raw = Buffer.alloc(0);
  readonly closed: Promise<void>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: RawWebSocket) {
    ws.on('data', (chunk: Buffer) => {
      this.raw = Buffer.concat([this.raw, chunk]);
      const text = this.raw.toString('utf8');
      this.output = text.startsWith('OK') ? text.slice(2) : '';
      for (const waiter of [...this.waiters]) waiter();
    });
    this.closed = ws.whenClosed();
    void this.closed.then(() => {
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** Opens the websocket for a termproxy reply (same host, same credentials). */
  static async connect(
    server: { url: string },
    base: string,
    reply: TermproxyReply,
    opts: { token?: string; headers?: Record<string, string> } = {},
  ): Promise<TermTestClient> {
    const path = `/api2/json${base}/vncwebsocket?port=${reply.port}&vncticket=${encodeURIComponent(reply.ticket)}`;
    const up = await rawUpgrade(server, path, { token: opts.token, protocol: 'binary', headers: opts.headers });
    if (up.kind !== 'upgraded') throw new Error(`vncwebsocket: ${JSON.stringify(up)}`);
    return new TermTestClient(up.ws);
  }

  /** termproxy + websocket + auth line; resolves once `OK` arrived. */
  static async open(server: Server, base: string, opts: { token?: string } = {}): Promise<TermTestClient> {
    const reply = await termproxy(server, base, opts);
    const client = await TermTestClient.connect(server, base, reply, { token: opts.token ?? server.token });
    await client.authenticate(reply.user, reply.ticket);
    return client;
  }

  /** Sends one text frame as is. */
  send(payload: string | Buffer): void {
    this.ws.sendFrame(1, typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload);
  }

  /** `<authid>:<ticket>\n`, then waits for `OK` (rejects if the connection closes instead). */
  async authenticate(authid: string, ticket: string): Promise<void> {
    this.send(`${authid}:${ticket}\n`);
    await this.until(() => this.raw.subarray(0, 2).toString() === 'OK', 'OK');
  }

  /** Input: `0:<byte length>:<data>`. */
  type(text: string): void {
    this.send(`0:${Buffer.byteLength(text)}:${text}`);
  }

  resize(cols: number, rows: number): void {
    this.send(`1:${cols}:${rows}:`);
  }

  ping(): void {
    this.send('2');
  }

  /** Resolves when the output contains `text` (or matches it); rejects on close or timeout. */
  waitFor(text: string | RegExp, timeoutMs = 3000): Promise<void> {
    const found = () => (typeof text === 'string' ? this.output.includes(text) : text.test(this.output));
    return this.until(found, String(text), timeoutMs);
  }

  get isClosed(): boolean {
    return this.ws.socket.destroyed || this.ws.socket.closed;
  }

  close(): void {
    this.ws.destroy();
  }

  private until(done: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) finish(resolve);
        else if (this.isClosed)
          finish(() => reject(new Error(`closed before ${what}; output: ${JSON.stringify(this.output)}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out waiting for ${what}; output: ${JSON.stringify(this.output)}`))),
        timeoutMs,
      );
      const finish = (then: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        then();
      };
      this.waiters.add(check);
      check();
    });
  }
}
