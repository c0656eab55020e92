// The explorer proxy's gatekeeper: turns the raw request target of `…/servers/:s/pve/<path>?<query>`
// into a canonical Proxmox API path below /api2/json, or refuses it. It works on the raw URL, not
// on the router's decoded wildcard, so that `%2f`, `%2e%2e` and friends are seen as sent.

export type ExplorerTarget = { ok: true; path: string; query: Record<string, string> } | { ok: false; reason: string };

/** Characters a raw segment may contain before decoding (RFC 3986 pchar, minus `&;=+$*`). */
const RAW_SEGMENT = /^[A-Za-z0-9\-._~!'(),:@%]+$/;
/** What a decoded segment may be: node names, vmids, storage and pool ids, UPIDs, user and token ids. */
const DECODED_SEGMENT = /^[A-Za-z0-9\-._~!:@]+$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:$/;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;
const PREFIX = ['', 'api', 'tenants', null, 'servers', null, 'pve'] as const;

export const EXPLORER_LIMITS = {
  segments: 24,
  segmentLength: 200,
  params: 50,
  valueLength: 8192,
} as const;

const refuse = (reason: string): ExplorerTarget => ({ ok: false, reason });

/** `rawUrl` is the request target exactly as received (`request.raw.url`). */
export function explorerTarget(rawUrl: string): ExplorerTarget {
  if (rawUrl.includes('#')) return refuse('fragments are not allowed');
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
  if (rawPath.includes('\\')) return refuse('backslashes are not allowed');

  const all = rawPath.split('/');
  for (const [i, want] of PREFIX.entries()) {
    if (want !== null && all[i] !== want) return refuse('not an explorer path');
  }
  const rest = all.slice(PREFIX.length);
  // `/pve/` is the API root; one trailing slash is tolerated, an empty segment elsewhere is `//`.
  if (rest.length > 0 && rest.at(-1) === '') rest.pop();
  if (rest.length > EXPLORER_LIMITS.segments) return refuse('the path is too deep');

  const decoded: string[] = [];
  for (const [i, raw] of rest.entries()) {
    if (raw === '') return refuse('empty path segments (//) are not allowed');
    if (raw.length > EXPLORER_LIMITS.segmentLength * 3) return refuse('a path segment is too long');
    if (!RAW_SEGMENT.test(raw)) return refuse('the path contains characters that are not allowed');
    if (/%(2f|5c)/i.test(raw)) return refuse('encoded slashes and backslashes are not allowed');
    let text: string;
    try {
      text = decodeURIComponent(raw);
    } catch {
      return refuse('invalid percent-encoding');
    }
    if (/^\.+$/.test(text)) return refuse('dot segments (. and ..) are not allowed');
    if (text.length > EXPLORER_LIMITS.segmentLength) return refuse('a path segment is too long');
    // Catches control characters, `%` (double encoding), slashes, spaces and anything exotic.
    if (!DECODED_SEGMENT.test(text)) return refuse('the path contains characters that are not allowed');
    if (i === 0 && SCHEME.test(text)) return refuse('absolute URLs are not allowed');
    decoded.push(text);
  }

  const query = parseQuery(rawQuery);
  if ('reason' in query) return refuse(query.reason);
  return { ok: true, path: `/${decoded.map((s) => encodeURIComponent(s)).join('/')}`, query };
}

function parseQuery(raw: string): Record<string, string> | { reason: string } {
  const out: Record<string, string> = {};
  if (raw === '') return out;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    return { reason: 'invalid query string' };
  }
  let count = 0;
  for (const [key, value] of params) {
    if (++count > EXPLORER_LIMITS.params) return { reason: 'too many parameters' };
    const checked = checkParam(key, value);
    if (checked) return { reason: checked };
    if (Object.hasOwn(out, key)) return { reason: `parameter '${key.slice(0, 100)}' is given twice` };
    out[key] = value;
  }
  return out;
}

/** A parameter name as Proxmox declares them, and a bounded value; null when fine. */
export function checkParam(key: string, value: string): string | null {
  if (!PARAM_NAME.test(key)) return `invalid parameter name '${key.slice(0, 100)}'`;
  if (value.length > EXPLORER_LIMITS.valueLength) return `parameter '${key}' is too long`;
  if (value.includes('\u0000')) return `parameter '${key}' contains a NUL character`;
  return null;
}
