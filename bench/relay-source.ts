// Child process of the relay benchmark: the console sources. A plain WebSocket stand-in for
// vncwebsocket (no TLS) with termproxy stand-ins for terminals, TCP blasters, pve-sim (TLS) with guests bridged to those blasters,
// and Debian's websockify in front of the same TCP blasters as a reference relay.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { WebSocketServer } from 'ws';
import { startPveSim } from '../pve-sim/index';
import { modeOf, serveBlaster, tcpTransport, wsTransport } from './rfb-blaster';
import { BUSY_TERM_VMID, isTermVmid, serveTerm } from './term-bench';

async function tcpBlaster(mode: 'blast' | 'idle'): Promise<number> {
  const server: Server = createServer((socket) => serveBlaster(tcpTransport(socket), mode));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function websockify(target: number): Promise<{ port: number; child: ChildProcess } | null> {
  if (spawnSync('sh', ['-c', 'command -v websockify']).status !== 0) return null;
  const port = await freePort();
  const child = spawn('websockify', [`127.0.0.1:${port}`, `127.0.0.1:${target}`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(true));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
    });
    if (up) return { port, child };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  return null;
}

const http = createHttpServer();
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 256 * 1024 });
wss.on('connection', (ws, req) => {
  const vmid = Number((req.url ?? '/').slice(1));
  if (isTermVmid(vmid)) serveTerm(ws, vmid >= BUSY_TERM_VMID);
  else serveBlaster(wsTransport(ws), modeOf(vmid));
});
http.listen(0, '127.0.0.1');
await once(http, 'listening');
const wsPort = (http.address() as { port: number }).port;

const tcpBlast = await tcpBlaster('blast');
const tcpIdle = await tcpBlaster('idle');
const sim = await startPveSim({
  scenario: {
    seed: 1,
    clusters: [
      {
        name: null,
        nodes: [{ name: 'pve1' }],
        guests: [
          {
            vmid: 100,
            type: 'qemu',
            node: 'pve1',
            name: 'blast',
            status: 'running',
            bridge: { host: '127.0.0.1', port: tcpBlast, password: 'bench-pw' },
          },
          {
            vmid: 300,
            type: 'qemu',
            node: 'pve1',
            name: 'echo',
            status: 'running',
            bridge: { host: '127.0.0.1', port: tcpIdle, password: 'bench-pw' },
          },
        ],
      },
    ],
  } as never,
});
const simServer = sim.servers[0];
if (!simServer) throw new Error('pve-sim started no server');
const wsBlast = await websockify(tcpBlast);
const wsIdle = await websockify(tcpIdle);

process.stdout.write(
  `${JSON.stringify({
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    tcpBlast,
    tcpIdle,
    sim: { host: simServer.host, port: simServer.port, token: simServer.token, fingerprint: simServer.fingerprint },
    websockify: wsBlast && wsIdle ? { blast: wsBlast.port, idle: wsIdle.port } : null,
  })}\n`,
);

const stop = async () => {
  setTimeout(() => process.exit(0), 2000).unref();
  wsBlast?.child.kill();
  wsIdle?.child.kill();
  await sim.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
