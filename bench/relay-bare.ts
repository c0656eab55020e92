// The floor of a console relay in Node, for the relay benchmark's latency part: one process that
// pipes a client's WebSocket to Proxmox's vncwebsocket (TLS, pinned certificate) message by
// message with `ws` — the library Nexus uses — and nothing else: no ticket, no session, no RFB
// parsing, no view-only filter, no back-pressure, no books. Measured in the same run as Nexus,
// it tells what Nexus's own code adds from what any Node relay over TLS costs on this machine.
// Prints one JSON line ({url}) when listening; GET /grant/:vmid gets a console (and its VNC
// password) ready, then ws /relay?id=… opens it. ws /plain/:vmid pipes to the benchmark's plain
// source instead (BENCH_SOURCE_WS, no TLS), for the session ramp.
import http from 'node:http';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { type ConsoleGrant, grantConsole, openConsole, type SimAddress, simConnection } from './sim-console';

const conn = simConnection(JSON.parse(process.env.BENCH_SIM ?? '{}') as SimAddress);

interface Grant extends ConsoleGrant {
  vmid: number;
}
const grants = new Map<string, Grant>();
let next = 0;

const server = http.createServer((req, res) => {
  const m = /^\/grant\/(\d+)$/.exec(req.url ?? '');
  if (!m) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const vmid = Number(m[1]);
  grantConsole(conn, vmid)
    .then((g) => {
      const id = String(++next);
      grants.set(id, { vmid, ...g });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id, password: g.password }));
    })
    .catch((err: unknown) => {
      res.statusCode = 502;
      res.end(String(err));
    });
});

const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });

/** Pipes `client` to the upstream `open` gives (`onSocket` with it as soon as it exists, so none
 * of its messages is missed) message by message, each way; what the client sends before the
 * upstream is open waits. Both end together. */
function pipe(client: WebSocket, open: (onSocket: (ws: WebSocket) => void) => Promise<WebSocket>): void {
  const early: RawData[] = [];
  let upstream: WebSocket | null = null;
  client.on('message', (data) => (upstream ? upstream.send(data, { binary: true }) : early.push(data)));
  client.on('close', () => upstream?.close());
  open((ws) => {
    ws.on('message', (data) => client.send(data, { binary: true }));
    ws.on('close', () => client.close());
    ws.on('error', () => client.close(1011, 'upstream'));
  })
    .then((ws) => {
      upstream = ws;
      for (const data of early.splice(0)) ws.send(data, { binary: true });
    })
    .catch(() => client.close(1011, 'upstream'));
}

/** The benchmark's plain source (no TLS): open once its socket is. */
function openPlain(url: string, onSocket: (ws: WebSocket) => void): Promise<WebSocket> {
  const ws = new WebSocket(url, ['binary'], { perMessageDeflate: false });
  onSocket(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

wss.on('connection', (client, req) => {
  const plain = /^\/plain\/(\d+)$/.exec(req.url ?? '');
  if (plain) {
    pipe(client, (onSocket) => openPlain(`${process.env.BENCH_SOURCE_WS}/${plain[1]}`, onSocket));
    return;
  }
  const id = new URL(req.url ?? '', 'http://bench').searchParams.get('id') ?? '';
  const grant = grants.get(id);
  if (!grant) {
    client.close(1008, 'no such grant');
    return;
  }
  grants.delete(id);
  pipe(client, (onSocket) => openConsole(conn, grant.vmid, grant, onSocket));
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}`, pid: process.pid })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
