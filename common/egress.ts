// The egress policy: which addresses Nexus may dial (NEXUS_ALLOWED_TARGETS, and a tenant's
// `allowedTargets` narrowing it). Entries are CIDRs, addresses or host names, each with an
// optional `:port` (`10.0.0.0/8`, `pve.example.com:8006`, `*.lab.example`, `[fd00::/8]:8006`).
// Link-local and cloud-metadata addresses are refused unless an entry inside their range lists
// them; without entries everything else is allowed. Addresses are compared after normalising
// IPv4 inside IPv6 (`::ffff:169.254.169.254`, NAT64 `64:ff9b::a9fe:a9fe`) to plain IPv4.
// Pure code (no node: imports): the config, the tenant settings schema and the dialer share it.

export interface IpNet {
  family: 4 | 6;
  /** The network address as a number (IPv4 in the low 32 bits). */
  base: bigint;
  prefix: number;
}

export type TargetRule = { text: string; port: number | null } & (
  | { kind: 'net'; net: IpNet }
  | { kind: 'name'; name: string; wildcard: boolean }
);

export type TargetRules = readonly TargetRule[];

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const NAME = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);

const bitsOf = (family: 4 | 6) => (family === 4 ? 32 : 128);
const mask = (family: 4 | 6, prefix: number): bigint => {
  const bits = BigInt(bitsOf(family));
  const host = bits - BigInt(prefix);
  return ((1n << bits) - 1n) ^ ((1n << host) - 1n);
};

function parseIpv4(text: string): bigint | null {
  if (!IPV4.test(text)) return null;
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint | null {
  let v = text.toLowerCase();
  const zone = v.indexOf('%');
  if (zone >= 0) v = v.slice(0, zone);
  if (!/^[0-9a-f:.]+$/.test(v) || !v.includes(':')) return null;
  // An embedded IPv4 tail becomes two groups.
  const lastColon = v.lastIndexOf(':');
  const tail = v.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === null) return null;
    v = `${v.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = v.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return value;
}

/** IPv6 forms that carry an IPv4 address a socket would reach: mapped, compatible, NAT64. */
const EMBEDDING: { base: bigint; prefix: number }[] = [
  { base: 0xffffn << 32n, prefix: 96 }, // ::ffff:0:0/96, IPv4-mapped
  { base: 0x64ff9bn << 96n, prefix: 96 }, // 64:ff9b::/96, NAT64 well-known
  { base: 0n, prefix: 96 }, // ::/96, IPv4-compatible (deprecated; :: and ::1 excepted below)
];

function normalize(net: IpNet): IpNet {
  if (net.family === 4) return net;
  for (const e of EMBEDDING) {
    if (net.prefix < e.prefix || (net.base & mask(6, e.prefix)) !== e.base) continue;
    const v4 = net.base & 0xffffffffn;
    if (e.base === 0n && net.prefix === 128 && v4 <= 1n) break; // :: and ::1 are themselves
    return { family: 4, base: v4, prefix: net.prefix - 96 };
  }
  return net;
}

/** An IP address (IPv4, or IPv6 with or without brackets), normalised; null if not one. */
export function parseIp(text: string): IpNet | null {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIpv4(t);
  if (v4 !== null) return { family: 4, base: v4, prefix: 32 };
  const v6 = parseIpv6(t);
  if (v6 !== null) return normalize({ family: 6, base: v6, prefix: 128 });
  return null;
}

/** `a.b.c.d/n`, `v6/n` or a single address; host bits must be zero. */
export function parseCidr(text: string): IpNet | string {
  const slash = text.indexOf('/');
  const addr = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return `"${text}" is not an IP address or CIDR`;
  if (slash < 0) return addr;
  const raw = text.slice(slash + 1);
  const written = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  // The prefix counts in the family as written (::ffff:a.b.c.d/120 is an IPv4 /24).
  const writtenFamily = parseIpv4(text.slice(0, slash)) !== null ? 4 : 6;
  if (!(written >= 0 && written <= bitsOf(writtenFamily))) return `"${text}" has an invalid prefix length`;
  const prefix = writtenFamily === 6 && addr.family === 4 ? written - 96 : written;
  if (prefix < 0) return `"${text}" mixes IPv4-mapped and IPv6 ranges`;
  const net: IpNet = { family: addr.family, base: addr.base, prefix };
  if ((net.base & mask(net.family, prefix)) !== net.base)
    return `"${text}" has host bits set (did you mean a /${prefix} network?)`;
  return net;
}

const contains = (outer: IpNet, inner: IpNet) =>
  outer.family === inner.family &&
  inner.prefix >= outer.prefix &&
  (inner.base & mask(outer.family, outer.prefix)) === outer.base;

/** One entry: `<cidr|ip|name>[:port]`, IPv6 in brackets when a port follows. */
export function parseTargetRule(entry: string): TargetRule | string {
  const text = entry.trim();
  let subject = text;
  let portText: string | null = null;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return `"${text}": missing ]`;
    subject = text.slice(1, close);
    const after = text.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return `"${text}": expected :port after ]`;
      portText = after.slice(1);
    }
  } else if ((text.match(/:/g) ?? []).length === 1) {
    const colon = text.indexOf(':');
    subject = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  let port: number | null = null;
  if (portText !== null) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) return `"${text}": the port must be 1-65535`;
  }
  if (subject === '') return `"${text}": empty entry`;
  const looksIp = /^[\d.]+(\/\d+)?$/.test(subject) || subject.includes(':');
  if (looksIp) {
    const net = parseCidr(subject);
    return typeof net === 'string' ? net : { kind: 'net', net, port, text };
  }
  const name = subject.toLowerCase().replace(/\.$/, '');
  if (name.length > 253 || !NAME.test(name)) return `"${text}" is not a CIDR, IP address or host name`;
  const wildcard = name.startsWith('*.');
  return { kind: 'name', name: wildcard ? name.slice(2) : name, wildcard, port, text };
}

/** Comma-separated entries (NEXUS_ALLOWED_TARGETS); every problem is reported. */
export function parseTargetList(text: string): { rules: TargetRule[]; errors: string[] } {
  const rules: TargetRule[] = [];
  const errors: string[] = [];
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const rule = parseTargetRule(entry);
    if (typeof rule === 'string') errors.push(rule);
    else rules.push(rule);
  }
  return { rules, errors };
}

/** Never dialed unless an entry inside the range lists them: link-local, metadata, "this host". */
export const BUILT_IN_REFUSED: readonly { text: string; why: string; net: IpNet }[] = [
  ['169.254.0.0/16', 'IPv4 link-local, where cloud metadata services live (169.254.169.254)'],
  ['fe80::/10', 'IPv6 link-local'],
  ['fd00:ec2::254/128', 'AWS instance metadata over IPv6'],
  ['100.100.100.200/32', 'Alibaba Cloud instance metadata'],
  ['192.0.0.192/32', 'Oracle Cloud legacy instance metadata'],
  ['0.0.0.0/8', '"this host": 0.0.0.0 dials the Nexus host itself'],
  ['::/128', 'the unspecified IPv6 address'],
].map(([text = '', why = '']) => ({ text, why, net: parseCidr(text) as IpNet }));

export type TargetVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether `address` (what a name resolved to, or the literal dialed) on `port` may be dialed.
 * `name` is the host name as dialed (null for an IP literal); name entries match it, while
 * every resolved address must still pass the built-in refusals. `rules` null: no list (default).
 */
export function checkTarget(
  rules: TargetRules | null,
  dial: { name: string | null; address: string; port: number },
): TargetVerdict {
  const ip = parseIp(dial.address);
  if (!ip) return { allowed: false, reason: 'not an IP address' };
  const portOk = (r: TargetRule) => r.port === null || r.port === dial.port;
  const refused = BUILT_IN_REFUSED.find((b) => contains(b.net, ip));
  if (refused) {
    const listed = (rules ?? []).some(
      (r) => r.kind === 'net' && portOk(r) && contains(refused.net, r.net) && contains(r.net, ip),
    );
    return listed ? { allowed: true } : { allowed: false, reason: refused.why };
  }
  if (rules === null) return { allowed: true };
  const name = dial.name?.toLowerCase().replace(/\.$/, '') ?? null;
  const ok = rules.some((r) => {
    if (!portOk(r)) return false;
    if (r.kind === 'net') return contains(r.net, ip);
    if (name === null) return false;
    return r.wildcard ? name.endsWith(`.${r.name}`) : name === r.name;
  });
  return ok ? { allowed: true } : { allowed: false, reason: 'not in the allowed targets' };
}
