// The egress policy's check at dial time, shared by every outbound socket (Proxmox in
// proxmox/tls-connect.ts; webhooks, mail relays' peers and syslog in lib/outbound.ts): the host
// is resolved here, every address it resolves to is checked against each list (the operator's,
// a tenant's), and the socket is then opened to exactly those addresses, so a name cannot
// rebind between the check and the dial.
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { checkTarget, type TargetRules } from '@common/egress';
import { AppError } from './app-error';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name has (the system resolver by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** What every dial must pass: each list (the operator's, a tenant's; null = the default) allows it. */
export interface EgressGuard {
  lists: readonly (TargetRules | null)[];
  resolve: Resolver;
}

export const DEFAULT_EGRESS: EgressGuard = { lists: [null], resolve: systemResolver };

export const hostLabel = (host: string, port: number): string =>
  isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;

/**
 * The addresses `host` may be dialed at: the literal itself, or everything the name resolves
 * to — all of them checked, so a name with one refused address is refused as a whole.
 */
export async function checkedAddresses(host: string, port: number, egress: EgressGuard): Promise<ResolvedAddress[]> {
  const literal = isIP(host);
  const addresses: ResolvedAddress[] = literal
    ? [{ address: host, family: literal === 6 ? 6 : 4 }]
    : await egress.resolve(host);
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    for (const rules of egress.lists) {
      const verdict = checkTarget(rules, { name: literal ? null : host, address, port });
      if (!verdict.allowed) {
        const where = hostLabel(host, port);
        // For a name, what it resolved to stays here: the refusal must not be a DNS oracle.
        throw new AppError(
          'server.target_refused',
          literal
            ? `${where} is refused by the egress policy (${verdict.reason})`
            : `${where} resolves to an address the egress policy refuses`,
          { details: { host, port } },
        );
      }
    }
  }
  return addresses;
}

/** A `lookup` that answers with the addresses already checked, never asking DNS again. */
export function fixedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const fitting = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const first = fitting[0];
    if (!first) callback(Object.assign(new Error('no address of that family'), { code: 'ENOTFOUND' }));
    else if (options.all) callback(null, fitting);
    else callback(null, first.address, first.family);
  }) as LookupFunction;
}
