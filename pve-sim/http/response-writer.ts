// Writes answers the way pve-http-server does: the error message as the HTTP reason phrase (its
// first line) and, since 2025, also as `message` in the JSON body beside `data: null`.
import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Outcome } from './api-dispatcher';

export interface Rendered {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A reason phrase must be one line of visible ASCII. */
function reasonPhrase(status: number, message: string | undefined): string {
  const line = (message ?? '')
    .split('\n')[0]
    ?.replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return line || STATUS_CODES[status] || 'Unknown';
}

export function render(outcome: Outcome): Rendered {
  const payload: Record<string, unknown> = { data: outcome.data ?? null };
  if (outcome.status === 200) {
    if (outcome.total !== undefined) payload.total = outcome.total;
  } else {
    payload.message = outcome.message ?? `${STATUS_CODES[outcome.status] ?? 'Error'}\n`;
    if (outcome.errors) payload.errors = outcome.errors;
  }
  const body = Buffer.from(JSON.stringify(payload));
  const now = new Date().toUTCString();
  return {
    status: outcome.status,
    reason: reasonPhrase(outcome.status, outcome.message),
    headers: {
      'Content-Type': 'application/json;charset=UTF-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'max-age=0',
      Pragma: 'no-cache',
      Expires: now,
      Server: 'pve-api-daemon/3.0',
      ...outcome.headers,
    },
    body,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends the answer; with `slowBodyMs`, the body trickles out in ten pieces over that time. */
export function writeResponse(res: ServerResponse, outcome: Outcome, slowBodyMs: number): Promise<void> {
  return writeRendered(res, render(outcome), slowBodyMs);
}

/** Sends an answer already rendered (hostile.ts alters bodies after rendering). */
export async function writeRendered(res: ServerResponse, r: Rendered, slowBodyMs: number): Promise<void> {
  res.writeHead(r.status, r.reason, r.headers);
  if (slowBodyMs <= 0) {
    res.end(r.body);
    return;
  }
  const pieces = 10;
  const size = Math.ceil(r.body.length / pieces);
  for (let i = 0; i < r.body.length && !res.destroyed; i += size) {
    res.write(r.body.subarray(i, i + size));
    await sleep(slowBodyMs / pieces);
  }
  res.end();
}

/** An answer on a raw socket (refused websocket upgrades), then the connection closes. */
export function writeRawResponse(socket: Duplex, outcome: Outcome): void {
  const r = render(outcome);
  const head = [
    `HTTP/1.1 ${r.status} ${r.reason}`,
    ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`),
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), r.body]));
}
