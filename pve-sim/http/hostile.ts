// Hostile answers (the last five keys of Faults): a server that is reachable and authenticated but
// answers what a client must never trust. Bodies far over any sane size, streamed with
// back-pressure so that the simulator itself stays small; `data` of the wrong JSON types; free
// text that is not UTF-8; redirects to somewhere else; and answers that dribble out byte by byte.
// Each is applied after the normal pipeline, to whatever it answered (errors included).
import type { ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Outcome } from './api-dispatcher';
import type { Faults } from './faults';
import { type Rendered, render } from './response-writer';

// --- wrong JSON types ---------------------------------------------------------------------------

/** The same value as another JSON type: list ↔ object, text → number, number → text, … */
function wrongType(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (value !== null && typeof value === 'object') return Object.values(value);
  if (typeof value === 'string') return value.length;
  // Not numeric text: PVE's numbers-as-strings must not rescue it.
  if (typeof value === 'number') return 'NaN';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return false;
}

function wrongFields(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrongType(v)]));
}

/** Lists `data` is wrapped in for `wrongTypes: 'deep'`: a parser or serializer that recurses
 * overflows its stack long before this. */
const DEEP = 100_000;
/** Stands in for the deep value until the body is rendered (JSON.stringify would overflow). */
const DEEP_MARK = '\uE001';

function mistype(data: unknown, mode: NonNullable<Faults['wrongTypes']>): unknown {
  if (data === null || data === undefined) return data; // an error stays an error
  if (mode === 'deep') return DEEP_MARK;
  if (mode === 'data') return wrongType(data);
  if (Array.isArray(data))
    return data.map((v) => (v !== null && typeof v === 'object' ? wrongFields(v) : wrongType(v)));
  return typeof data === 'object' ? wrongFields(data) : wrongType(data);
}

// --- invalid UTF-8 ------------------------------------------------------------------------------

/** Fields whose text comes from whoever administers the server (or from a guest, for task logs). */
const FREE_TEXT = new Set(['name', 'tags', 'description', 'comment', 'notes', 't', 'exitstatus']);
/** A private-use character marks where the bytes go; JSON.stringify leaves it unescaped. */
const MARK = '\uE000';
const MARK_BYTES = Buffer.from(MARK, 'utf8');
const NOT_UTF8 = Buffer.from([
  ...[0xc0, 0xaf], // overlong '/'
  ...[0xed, 0xa0, 0x80], // UTF-16 surrogate half
  0xff,
  0x80, // continuation byte without a lead
  ...[0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  ...[0xe2, 0x82], // truncated: a decoder that swallows the next byte eats the closing quote
]);

function markFreeText(value: unknown, key = ''): unknown {
  // Valid UTF-8 but not valid text first: a lone UTF-16 surrogate and a NUL, as JSON escapes.
  if (typeof value === 'string') return FREE_TEXT.has(key) ? `${value}\uD800\u0000${MARK}` : value;
  if (Array.isArray(value)) return value.map((v) => markFreeText(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markFreeText(v, k)]));
  }
  return value;
}

function replaceMarks(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(MARK_BYTES); at >= 0; at = body.indexOf(MARK_BYTES, from)) {
    parts.push(body.subarray(from, at), NOT_UTF8);
    from = at + MARK_BYTES.length;
  }
  parts.push(body.subarray(from));
  return Buffer.concat(parts);
}

function withBody(r: Rendered, body: Buffer): Rendered {
  return { ...r, body, headers: { ...r.headers, 'Content-Length': String(body.length) } };
}

/** The answer rendered with the wrong-type and invalid-UTF-8 faults applied. */
export function renderHostile(outcome: Outcome, faults: Faults): Rendered {
  const inner = faults.invalidUtf8 ? markFreeText(outcome.data) : outcome.data;
  const data = faults.wrongTypes ? mistype(inner, faults.wrongTypes) : inner;
  let r = render({ ...outcome, data });
  if (data === DEEP_MARK) {
    const deep = `${'['.repeat(DEEP)}${JSON.stringify(inner)}${']'.repeat(DEEP)}`;
    r = withBody(r, Buffer.from(r.body.toString('utf8').replace(JSON.stringify(DEEP_MARK), () => deep)));
  }
  return faults.invalidUtf8 ? withBody(r, replaceMarks(r.body)) : r;
}

// --- redirects ----------------------------------------------------------------------------------

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Refuses redirect targets off this machine: pve-sim never points anybody elsewhere. */
export function checkRedirect(redirect: Faults['redirect']): void {
  if (!redirect || redirect.location.startsWith('/')) return;
  const url = URL.canParse(redirect.location) ? new URL(redirect.location) : null;
  if (!url || !isLoopback(url.hostname)) {
    throw new Error(`redirect target must be relative or on loopback: ${redirect.location}`);
  }
}

export function redirectOutcome(redirect: Faults['redirect']): Outcome | null {
  if (!redirect) return null;
  return { status: redirect.status ?? 302, delayMs: 0, headers: { Location: redirect.location } };
}

// --- huge bodies --------------------------------------------------------------------------------

const PREFIX = Buffer.from('{"data":[');
const SUFFIX = Buffer.from('{}]}');
/** Guest `i` of the list; nine-digit vmids keep every entry the same length. */
const entry = (i: number) => {
  const vmid = 100_000_000 + (i % 899_999_999);
  return `{"id":"qemu/${vmid}","type":"qemu","vmid":${vmid},"node":"pve","status":"running","name":"vm-${vmid}"},`;
};
const ENTRY_BYTES = entry(0).length;
const CHUNK_ENTRIES = Math.floor((64 * 1024) / ENTRY_BYTES);

function entries(from: number, count: number): Buffer {
  let text = '';
  for (let i = from; i < from + count; i++) text += entry(i);
  return Buffer.from(text);
}

/** Resolves when the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** `{"data":[guest,guest,…,{}]}` of exactly `bytes` bytes (whitespace pads), 64 KiB at a time:
 * under the client's cap it is a valid list of that many distinct guests. */
export async function writeHugeBody(
  res: ServerResponse,
  outcome: Outcome,
  spec: NonNullable<Faults['hugeBody']>,
): Promise<void> {
  const r = render(outcome);
  const fixed = PREFIX.length + SUFFIX.length;
  const bytes = Math.max(spec.bytes, fixed);
  const count = Math.floor((bytes - fixed) / ENTRY_BYTES);
  const headers = { ...r.headers };
  if (spec.declareLength) headers['Content-Length'] = String(bytes);
  else delete headers['Content-Length'];
  res.writeHead(r.status, r.reason, headers);
  const pieces = function* () {
    yield PREFIX;
    for (let i = 0; i < count; i += CHUNK_ENTRIES) yield entries(i, Math.min(CHUNK_ENTRIES, count - i));
    yield Buffer.alloc(bytes - fixed - count * ENTRY_BYTES, 0x20);
    yield SUFFIX;
  };
  for (const piece of pieces()) {
    if (res.destroyed) return;
    if (!res.write(piece)) await drained(res);
  }
  if (!res.destroyed) res.end();
}

// --- slowloris ----------------------------------------------------------------------------------

/** Writes the whole answer — status line first — straight to the socket at `bytesPerSecond`. */
export function writeSlowly(socket: Duplex, r: Rendered, bytesPerSecond: number): Promise<void> {
  const head = [
    `HTTP/1.1 ${r.status} ${r.reason}`,
    ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`),
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  const all = Buffer.concat([Buffer.from(head, 'latin1'), r.body]);
  const rate = Math.max(0.1, bytesPerSecond);
  // Ten writes a second when the rate allows, else one byte at a time.
  const tickMs = rate >= 10 ? 100 : 1000 / rate;
  const perTick = rate >= 10 ? Math.ceil(rate / 10) : 1;
  return new Promise((resolve) => {
    let at = 0;
    const stop = () => {
      clearInterval(timer);
      socket.off('close', stop);
      resolve();
    };
    const timer = setInterval(() => {
      if (socket.destroyed) return stop();
      socket.write(all.subarray(at, at + perTick));
      at += perTick;
      if (at >= all.length) {
        socket.end();
        stop();
      }
    }, tickMs);
    socket.once('close', stop);
  });
}
