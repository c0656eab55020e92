// A small HTTPS client for pve-sim's own tests: returns status, reason phrase, headers, parsed
// body and the certificate the server presented, without any of a real client's smoothing.
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface SimResponse {
  status: number;
  reason: string;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: test helper; each test asserts the shape it expects
  body: any;
  text: string;
  /** SHA-256 fingerprint of the server certificate. */
  fingerprint: string;
}

export interface CallOptions {
  /** `USER@REALM!TOKENID=SECRET`, sent as `PVEAPIToken=…`; null: no Authorization header. */
  token?: string | null;
  /** A raw Authorization header instead of `token`. */
  authorization?: string;
  cookie?: string;
  csrf?: string;
  /** A raw query string, or values to percent-encode. */
  query?: string | Record<string, string | number>;
  /** A raw form body, or values to percent-encode. */
  form?: string | Record<string, string | number>;
  json?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

function encode(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

export function call(
  server: { url: string },
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<SimResponse> {
  const query = opts.query === undefined ? '' : typeof opts.query === 'string' ? opts.query : encode(opts.query);
  const full = path.startsWith('/api2') ? path : `/api2/json${path}`;
  const url = new URL(`${full}${query ? `?${query}` : ''}`, server.url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.authorization !== undefined) headers.Authorization = opts.authorization;
  else if (opts.token) headers.Authorization = `PVEAPIToken=${opts.token}`;
  if (opts.cookie) headers.Cookie = opts.cookie;
  if (opts.csrf) headers.CSRFPreventionToken = opts.csrf;
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] = 'application/json';
  } else if (opts.form !== undefined) {
    body = typeof opts.form === 'string' ? opts.form : encode(opts.form);
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers, rejectUnauthorized: false, agent: false, timeout: opts.timeoutMs ?? 10_000 },
      (res) => {
        const cert = (res.socket as TLSSocket).getPeerCertificate();
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = null;
          }
          resolve({
            status: res.statusCode ?? 0,
            reason: res.statusMessage ?? '',
            headers: res.headers,
            body: parsed,
            text,
            fingerprint: cert.fingerprint256,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls a task until it stops; returns its final status. */
export async function waitForTask(
  server: { url: string; token: string },
  upid: string,
  timeoutMs = 5000,
): Promise<{ status: string; exitstatus?: string }> {
  const node = upid.split(':')[1] ?? '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(server, 'GET', `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`, {
      token: server.token,
    });
    if (res.body?.data?.status === 'stopped') return res.body.data;
    if (Date.now() > deadline) throw new Error(`task ${upid} still running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
