// An HTTP receiver on loopback for webhooks: keeps every request (headers, raw body), checks
// the X-Nexus-Signature HMAC against the secret it was given, and can be switched to failing
// (503) or taken down (port closed) and brought back on the same port.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

export interface ReceivedHook {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
  /** The signature matched the secret (null: no secret set or no header). */
  signed: boolean | null;
}

export interface WebhookSink {
  url: string;
  hooks: ReceivedHook[];
  /** Accepted (2xx) JSON bodies of Nexus's own format, in arrival order. */
  events(): any[];
  setStatus(status: number): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  waitFor(pred: (h: ReceivedHook) => boolean, timeoutMs?: number): Promise<ReceivedHook>;
  close(): Promise<void>;
}

export function verifySignature(secret: string, raw: string, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const want = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

export async function startWebhookSink(secret: string | null = null): Promise<WebhookSink> {
  const hooks: ReceivedHook[] = [];
  let status = 200;
  let port = 0;
  let server: http.Server | null = null;
  const sockets = new Set<import('node:net').Socket>();
  const listen = async () => {
    const s = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: any = null;
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
        const header = req.headers['x-nexus-signature'];
        if (status >= 200 && status < 300) {
          hooks.push({
            path: req.url ?? '',
            headers: req.headers,
            raw,
            body,
            signed: secret && typeof header === 'string' ? verifySignature(secret, raw, header) : null,
          });
        }
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'unavailable');
      });
    });
    s.on('connection', (c) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c));
    });
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as { port: number }).port;
    server = s;
  };
  const stop = async () => {
    const s = server;
    server = null;
    if (!s) return;
    for (const c of sockets) c.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}/hook`;
    },
    hooks,
    events: () => hooks.map((h) => h.body),
    setStatus(s) {
      status = s;
    },
    stop,
    start: listen,
    async waitFor(pred, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = hooks.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no such webhook; got: ${hooks.map((h) => h.body?.event).join(', ')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: stop,
  };
}
