// A TLS listener on loopback that a hostile member controls: it answers like Proxmox's /version
// (so a client that trusts it would go on) and records every connection and request header, so a
// test can prove that no `Authorization: PVEAPIToken=…` ever reached it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { createNodeCert } from '../../pve-sim/http/tls-certs';

export interface CapturedRequest {
  method: string;
  url: string;
  authorization: string | null;
}

export interface CaptureListener {
  host: string;
  port: number;
  fingerprint: string;
  /** TCP connections accepted (a TLS handshake may follow or not). */
  connections: number;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/** Answers like Proxmox's /version by default; `answer` makes it another kind of service. */
export async function startCaptureListener(
  host = '127.0.0.1',
  answer?: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<CaptureListener> {
  const identity = await createNodeCert(null, 'listener', host);
  const requests: CapturedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = https.createServer({ key: identity.key, cert: identity.cert }, (req, res) => {
    const auth = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '', authorization: auth ?? null });
    if (answer) return answer(req, res);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { version: '8.2.4', release: '8.2', repoid: 'faaf' } }));
  });
  const state: CaptureListener = {
    host,
    port: 0,
    fingerprint: identity.fingerprint,
    connections: 0,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: net.Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  state.port = (server.address() as net.AddressInfo).port;
  return state;
}
