// Outbound connections that are not Proxmox: webhook POSTs and syslog streams. Every one passes
// the egress policy at dial time (lib/egress.ts: the checked addresses are the ones dialed), TLS
// is verified (the system CAs, or a CA the operator gave), redirects are not followed and
// answers are read up to a small cap. Node's http/https are used rather than fetch because
// fetch cannot be told which address to dial.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { checkedAddresses, type EgressGuard, fixedLookup } from './egress';

export interface OutboundResponse {
  status: number;
  /** The start of the answer (at most 4 KiB), for error messages. */
  body: string;
}

export interface PostOptions {
  body: string | Buffer;
  headers: Record<string, string>;
  egress: EgressGuard;
  timeoutMs: number;
  /** PEM of a CA to trust instead of the system's (https only). */
  ca?: string | null;
}

const MAX_ANSWER = 4096;

const portOf = (url: URL): number => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/** POSTs once; resolves with the answer whatever its status, rejects on transport failure. */
export async function postOutbound(target: string, o: PostOptions): Promise<OutboundResponse> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = await checkedAddresses(host, portOf(url), o.egress);
  const secure = url.protocol === 'https:';
  const body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      method: 'POST',
      host,
      port: portOf(url),
      path: `${url.pathname}${url.search}`,
      headers: { ...o.headers, 'content-length': String(body.length), 'user-agent': 'Nexus' },
      lookup: fixedLookup(addresses),
      timeout: o.timeoutMs,
      agent: false,
      ...(secure ? { servername: net.isIP(host) ? undefined : host, ...(o.ca ? { ca: o.ca } : {}) } : {}),
    };
    const req = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, MAX_ANSWER).toString('utf8') }),
      );
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface StreamOptions {
  host: string;
  port: number;
  tls: boolean;
  ca?: string | null;
  egress: EgressGuard;
  timeoutMs: number;
}

/** Opens a TCP (or verified TLS) stream to host:port once it is connected. */
export async function connectOutbound(o: StreamOptions): Promise<net.Socket> {
  const addresses = await checkedAddresses(o.host, o.port, o.egress);
  return new Promise((resolve, reject) => {
    const base = { host: o.host, port: o.port, lookup: fixedLookup(addresses) };
    const socket = o.tls
      ? tls.connect({
          ...base,
          ...(net.isIP(o.host) ? {} : { servername: o.host }),
          minVersion: 'TLSv1.2',
          ...(o.ca ? { ca: o.ca } : {}),
        })
      : net.connect(base);
    const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${o.timeoutMs} ms`)), o.timeoutMs);
    socket.once(o.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    socket.once('error', onError);
  });
}
