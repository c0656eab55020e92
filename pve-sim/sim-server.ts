// One simulated pveproxy: the HTTPS endpoint of one node of a cluster. A plain TCP listener in
// front decides per connection what a client experiences — refused (down, flapping), accepted and
// ignored (black hole), redirected (plain HTTP), or TLS with the node's or a stranger's
// certificate — and hands TLS connections to the API pipeline and the console upgrader, whose
// answers hostile faults may then replace or alter (http/hostile.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { buildRouteTable } from './api/routes';
import { ConsoleUpgrader, checkWebSocketHeaders } from './console/websocket-upgrade';
import { ApiDispatcher, type Outcome } from './http/api-dispatcher';
import { type Faults, NO_FAULTS } from './http/faults';
import { checkRedirect, redirectOutcome, renderHostile, writeHugeBody, writeSlowly } from './http/hostile';
import { writeRawResponse, writeRendered } from './http/response-writer';
import { type CertificateAuthority, createNodeCert, type TlsIdentity } from './http/tls-certs';
import { Accounts } from './model/accounts';
import type { ClusterState, NodeState } from './model/cluster-state';
import type { Random } from './model/random';
import type { SimGuest } from './model/sim-guest';
import { AclSpec } from './scenario/scenario.schema';

export interface RequestLogEntry {
  method: string;
  /** Path without the query, e.g. /api2/json/cluster/resources */
  path: string;
  query: string;
  at: number;
}

export interface AddTokenOptions {
  /** Owner; default a new user `tokenuserN@pve` (rights from `userAcls`). */
  userid?: string;
  tokenid?: string;
  /** Privilege separation (default true, as in Proxmox): rights = user's ∩ token's ACLs. */
  privsep?: boolean;
  /** The token's own ACLs (used with privsep). */
  acls?: AclSpec[];
  /** ACLs of a newly created owner; default Administrator on `/`. */
  userAcls?: AclSpec[];
  /** Unix seconds; 0 = never. */
  expire?: number;
  /** false: the owning user is disabled, so the token is refused. */
  enabled?: boolean;
  secret?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TLS_HANDSHAKE = 0x16;
const MAX_BODY_READ = 64 * 1024 + 1;

export class SimServer {
  readonly requestLog: RequestLogEntry[] = [];
  port = 0;
  private faults: Faults = { ...NO_FAULTS };
  private front: NetServer | null = null;
  private readonly https: HttpsServer;
  private readonly sockets = new Set<Socket>();
  private readonly dispatcher: ApiDispatcher;
  private readonly upgrader: ConsoleUpgrader;
  private flapTimer: NodeJS.Timeout | undefined;
  private flapDown = false;
  /** Established TLS connections (API and consoles), which a black hole silences. */
  private readonly tlsSockets = new Set<TLSSocket>();
  /** Silenced connections and how to let each speak again. */
  private readonly silenced = new Map<TLSSocket, () => void>();
  private stopped = false;
  private tokenCount = 0;

  constructor(
    readonly name: string,
    readonly host: string,
    readonly cluster: ClusterState,
    readonly node: NodeState,
    private identity: TlsIdentity,
    private readonly stranger: TlsIdentity,
    private readonly ca: CertificateAuthority,
    private readonly random: Random,
  ) {
    node.fingerprint = identity.fingerprint;
    node.certPem = identity.cert;
    this.dispatcher = new ApiDispatcher(buildRouteTable(), cluster, node);
    this.upgrader = new ConsoleUpgrader(cluster, node);
    this.https = createHttpsServer({ key: identity.key, cert: identity.cert }, (req, res) => {
      void this.onRequest(req, res);
    });
    this.https.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.onUpgrade(req, socket, head);
    });
    this.https.on('tlsClientError', (_err, socket) => socket.destroy());
    this.https.on('secureConnection', (tls: TLSSocket) => {
      this.tlsSockets.add(tls);
      tls.once('close', () => {
        this.tlsSockets.delete(tls);
        this.silenced.delete(tls);
      });
      if (this.faults.blackhole) this.silence(tls);
    });
  }

  get url(): string {
    return `https://${this.host}:${this.port}`;
  }

  /** SHA-256 fingerprint of the certificate this node presents when not faulted. */
  get fingerprint(): string {
    return this.identity.fingerprint;
  }

  /** `USER@REALM!TOKENID=SECRET` of a token with full rights. */
  get token(): string {
    return this.cluster.adminToken;
  }

  /** Password of root@pam, for ticket logins. */
  get rootPassword(): string {
    return this.cluster.rootPassword;
  }

  async listen(port: number): Promise<void> {
    this.port = port;
    await new Promise<void>((resolve, reject) => {
      const server = this.newFront();
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        const address = server.address();
        if (address && typeof address === 'object') this.port = address.port;
        resolve();
      });
    });
  }

  private newFront(): NetServer {
    const server = createNetServer((socket) => this.onConnection(socket));
    server.on('error', () => {});
    this.front = server;
    return server;
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    if (this.faults.blackhole) {
      socket.pause();
      return;
    }
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      if (this.faults.blackhole) return;
      socket.unshift(chunk);
      if (chunk[0] === TLS_HANDSHAKE) this.https.emit('connection', socket);
      else this.redirectPlainHttp(socket);
    });
  }

  /** pveproxy answers plain HTTP on its HTTPS port with a redirect to https://. */
  private redirectPlainHttp(socket: Socket): void {
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      head += text;
      if (!head.includes('\r\n\r\n') && head.length < 8192) return;
      socket.removeAllListeners('data');
      const target = /^[A-Z]+ (\S+) HTTP\//.exec(head)?.[1] ?? '/';
      const host = /^host:\s*(\S+)/im.exec(head)?.[1] ?? `${this.host}:${this.port}`;
      socket.end(
        `HTTP/1.1 301 Moved Permanently\r\nLocation: https://${host}${target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
    });
    socket.resume();
  }

  /** Opens or closes the listening port to match down/flapping. */
  private applyListenState(): void {
    const up = !this.stopped && !this.faults.down && !this.flapDown;
    if (up && !this.front) {
      this.newFront().listen(this.port, this.host);
    } else if (!up && this.front) {
      this.front.close();
      this.front = null;
      this.dropConnections();
    }
  }

  /** Every client connection is reset, consoles included (as when pveproxy dies). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** A black hole on an established connection: nothing is read (so no pong, no request) and
   * nothing is sent (writes are held, as TCP holds them during a partition); the peer sees
   * silence, not a reset. Lifting the black hole lets the connection speak again. */
  private silence(tls: TLSSocket): void {
    if (this.silenced.has(tls) || tls.destroyed) return;
    const flowing = !tls.isPaused();
    tls.pause();
    tls.cork();
    // ws and the HTTP server resume their socket on their own; a black hole must not.
    const resume = tls.resume;
    tls.resume = function (this: TLSSocket) {
      return this;
    };
    this.silenced.set(tls, () => {
      tls.resume = resume;
      if (tls.destroyed) return;
      tls.uncork();
      if (flowing) tls.resume();
    });
  }

  private unsilence(): void {
    const restore = [...this.silenced.values()];
    this.silenced.clear();
    for (const speak of restore) speak();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const [path = '/', query = ''] = url.split(/\?(.*)/s);
    const method = req.method ?? 'GET';
    this.requestLog.push({ method, path, query, at: Date.now() });
    const body = await readBody(req);
    if (this.faults.blackhole) return; // a request on a kept-alive connection hangs as well
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    let outcome = this.injectedFailure() ?? redirectOutcome(this.faults.redirect);
    if (!outcome && !path.startsWith('/api2/')) {
      res.writeHead(200, { 'Content-Type': 'text/html;charset=UTF-8' });
      res.end('<!DOCTYPE html><title>Proxmox Virtual Environment (pve-sim)</title>\n');
      return;
    }
    outcome ??= await this.dispatcher.dispatch({ method, url, headers: req.headers, body });
    if (outcome.delayMs > 0) await sleep(outcome.delayMs);
    if (res.destroyed) return;
    await this.answer(req, res, outcome);
  }

  private async answer(req: IncomingMessage, res: ServerResponse, outcome: Outcome): Promise<void> {
    const f = this.faults;
    if (f.hugeBody) return writeHugeBody(res, outcome, f.hugeBody);
    const rendered = renderHostile(outcome, f);
    if (f.slowloris) return writeSlowly(req.socket, rendered, f.slowloris.bytesPerSecond);
    await writeRendered(res, rendered, f.slowBodyMs);
  }

  private injectedFailure(): Outcome | null {
    if (this.faults.status5xx !== null) return { status: this.faults.status5xx, delayMs: 0 };
    if (this.faults.errorRate > 0 && this.random() < this.faults.errorRate) return { status: 500, delayMs: 0 };
    return null;
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => {});
    const url = req.url ?? '/';
    const [path = '/', query = ''] = url.split(/\?(.*)/s);
    this.requestLog.push({ method: req.method ?? 'GET', path, query, at: Date.now() });
    if (this.faults.blackhole) return;
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    const refuse = (outcome: Outcome) => {
      if (!socket.destroyed) writeRawResponse(socket, outcome);
    };
    const injected = this.injectedFailure() ?? redirectOutcome(this.faults.redirect);
    if (injected) return refuse(injected);
    const headers = checkWebSocketHeaders(req);
    if ('status' in headers) return refuse({ ...headers, message: `${headers.message}\n`, delayMs: 0 });
    const outcome = await this.dispatcher.dispatch({ method: 'GET', url, headers: req.headers, body: Buffer.alloc(0) });
    if (outcome.delayMs > 0) await sleep(outcome.delayMs);
    if (outcome.status !== 200) return refuse(outcome);
    const port = Number((outcome.data as { port?: string } | null)?.port);
    if (!socket.destroyed) this.upgrader.connect(req, socket, head, port);
  }

  /** Adds a token (and, unless `userid` names an existing user, its owner). */
  addToken(opts: AddTokenOptions = {}): string {
    const accounts = this.cluster.accounts;
    this.tokenCount++;
    const userid = opts.userid ?? `tokenuser${this.tokenCount}-${this.name}@pve`;
    let user = accounts.users.get(userid);
    if (!user) {
      const userAcls = (opts.userAcls ?? [{ path: '/', role: 'Administrator' }]).map((a) => AclSpec.parse(a));
      user = { userid, password: undefined, enabled: true, expire: 0, acls: accounts.resolveAcls(userAcls) };
      accounts.addUser(user);
    }
    if (opts.enabled !== undefined) user.enabled = opts.enabled;
    return accounts.addToken({
      userid,
      tokenid: opts.tokenid ?? `token${this.tokenCount}`,
      secret: opts.secret ?? Accounts.newSecret(),
      privsep: opts.privsep ?? true,
      expire: opts.expire ?? 0,
      acls: accounts.resolveAcls((opts.acls ?? []).map((a) => AclSpec.parse(a))),
    });
  }

  /** A renewed node certificate from the cluster CA; /nodes reports the new fingerprint. */
  async swapCertificate(): Promise<string> {
    this.identity = await createNodeCert(this.ca, this.node.name, this.host);
    this.node.fingerprint = this.identity.fingerprint;
    this.node.certPem = this.identity.cert;
    if (!this.faults.wrongCert) this.https.setSecureContext({ key: this.identity.key, cert: this.identity.cert });
    this.dropConnections();
    return this.identity.fingerprint;
  }

  setFault(change: Partial<Faults>): void {
    if (change.redirect) checkRedirect(change.redirect);
    const before = this.faults;
    this.faults = { ...before, ...change };
    if (this.faults.wrongCert !== before.wrongCert) {
      const id = this.faults.wrongCert ? this.stranger : this.identity;
      this.https.setSecureContext({ key: id.key, cert: id.cert });
      this.dropConnections();
    }
    if (this.faults.blackhole && !before.blackhole) for (const tls of this.tlsSockets) this.silence(tls);
    if (!this.faults.blackhole && before.blackhole) this.unsilence();
    if (this.faults.flapping !== before.flapping) {
      clearInterval(this.flapTimer);
      this.flapTimer = undefined;
      this.flapDown = false;
      const period = this.faults.flapping;
      if (period !== null) {
        this.flapTimer = setInterval(() => {
          this.flapDown = !this.flapDown;
          this.applyListenState();
        }, period);
      }
    }
    this.applyListenState();
  }

  clearFaults(): void {
    this.setFault(NO_FAULTS);
  }

  get currentFaults(): Readonly<Faults> {
    return this.faults;
  }

  /** Client connections open right now (has a client hung up on a huge or slow answer?). */
  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Moves a guest to another node of the cluster at once (a finished migration): its config
   * is on `node` from now on, and its open consoles end. */
  migrateGuest(vmid: number, node: string): void {
    this.cluster.migrateGuest(vmid, node);
  }

  /** Marks a node of this server's cluster online/offline (for every endpoint of the cluster). */
  setNodeOnline(node: string, online: boolean): void {
    const state = this.cluster.nodes.get(node);
    if (!state) throw new Error(`no node '${node}' in this cluster`);
    state.online = online;
  }

  guests(): SimGuest[] {
    return this.cluster.sortedGuests();
  }

  guest(vmid: number): SimGuest | undefined {
    return this.cluster.guests.get(vmid);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.flapTimer);
    this.upgrader.close();
    for (const listener of [...this.node.consoles.values()]) listener.close('shutdown');
    const front = this.front;
    this.front = null;
    this.dropConnections();
    if (front) await new Promise<void>((resolve) => front.close(() => resolve()));
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size < MAX_BODY_READ) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks);
}
