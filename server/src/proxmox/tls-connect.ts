// TLS to a Proxmox server under one of three policies. Pinned: any chain and any name, but the
// leaf certificate's SHA-256 must equal the pin (so a Tailscale or IP name mismatch is harmless).
// CA: normal verification against a given CA PEM (or the system CAs). Insecure: no checks.
// The socket is handed to HTTP only after the check, so no request byte reaches a wrong peer.
// Before any of that, the egress policy: the host is resolved here, every address it resolves
// to is checked against the operator's (and the tenant's) allowed targets, and the socket is
// opened to exactly those addresses (SNI and certificate names stay the host name), so a name
// cannot rebind between the check and the dial. Every Proxmox socket is created in this file.
import { X509Certificate } from 'node:crypto';
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import tls from 'node:tls';
import { checkTarget, type TargetRules } from '@common/egress';
import { AppError } from '../lib/app-error';
import { proxmoxError, transportError } from './proxmox-errors';

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

export type TlsPolicy =
  | { mode: 'pinned'; fingerprint: string | null }
  | { mode: 'ca'; caPem: string | null }
  | { mode: 'insecure' };

export interface CertificateInfo {
  /** SHA-256 of the DER certificate, uppercase colon-separated hex, as Proxmox shows it. */
  fingerprint: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  subjectAltName: string | null;
  selfSigned: boolean;
}

/** Accepts `AA:BB:…`, `aabb…` or `aa bb …`; returns the canonical form or null if not 32 bytes. */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)?.join(':') ?? null;
}

export const hostLabel = (host: string, port: number): string =>
  isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;

interface ConnectOptions {
  host: string;
  port: number;
  tls: TlsPolicy;
  signal: AbortSignal;
  egress: EgressGuard;
}

export interface VerifiedSocket {
  socket: tls.TLSSocket;
  fingerprint: string | null;
}

function connectOptions(o: ConnectOptions): tls.ConnectionOptions {
  return {
    host: o.host,
    port: o.port,
    // SNI only for names; Node refuses IP literals as servername.
    ...(isIP(o.host) ? {} : { servername: o.host }),
    ALPNProtocols: ['http/1.1'],
    minVersion: 'TLSv1.2',
    rejectUnauthorized: o.tls.mode === 'ca',
    ...(o.tls.mode === 'ca' && o.tls.caPem ? { ca: o.tls.caPem } : {}),
  };
}

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
function fixedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const fitting = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const first = fitting[0];
    if (!first) callback(Object.assign(new Error('no address of that family'), { code: 'ENOTFOUND' }));
    else if (options.all) callback(null, fitting);
    else callback(null, first.address, first.family);
  }) as LookupFunction;
}

/** Checks the target, opens a TLS connection and applies the policy; calls back exactly once. */
export function connectVerified(o: ConnectOptions, done: (err: Error | null, result?: VerifiedSocket) => void): void {
  const where = hostLabel(o.host, o.port);
  let settled = false;
  let socket: tls.TLSSocket | null = null;
  const finish = (err: Error | null, result?: VerifiedSocket) => {
    if (settled) return;
    settled = true;
    o.signal.removeEventListener('abort', onAbort);
    done(err, result);
  };
  const onAbort = () => {
    socket?.destroy();
    finish(transportError(o.signal.reason, where));
  };
  if (o.signal.aborted) {
    finish(transportError(o.signal.reason, where));
    return;
  }
  o.signal.addEventListener('abort', onAbort, { once: true });
  checkedAddresses(o.host, o.port, o.egress).then(
    (addresses) => {
      if (settled) return;
      socket = tls.connect({ ...connectOptions(o), ...(isIP(o.host) ? {} : { lookup: fixedLookup(addresses) }) });
      handshake(o, socket, where, finish);
    },
    (err: unknown) => finish(transportError(err, where)),
  );
}

function handshake(
  o: ConnectOptions,
  socket: tls.TLSSocket,
  where: string,
  finish: (err: Error | null, result?: VerifiedSocket) => void,
): void {
  socket.once('error', (err) => finish(transportError(err, where)));
  socket.once('secureConnect', () => {
    const cert = socket.getPeerCertificate();
    const fingerprint = cert && typeof cert.fingerprint256 === 'string' ? cert.fingerprint256.toUpperCase() : null;
    if (o.tls.mode === 'pinned') {
      const expected = o.tls.fingerprint ? normalizeFingerprint(o.tls.fingerprint) : null;
      if (!fingerprint || fingerprint !== expected) {
        socket.destroy();
        finish(
          proxmoxError(
            'proxmox.tls_mismatch',
            expected
              ? `The certificate of ${where} does not match the pinned fingerprint`
              : `No certificate fingerprint is pinned for ${where} yet`,
            { expected, actual: fingerprint },
          ),
        );
        return;
      }
    }
    finish(null, { socket, fingerprint });
  });
}

/** Reads the certificate a server presents, without sending anything (trust on first use). */
export function probeCertificate(
  host: string,
  port: number,
  signal: AbortSignal,
  egress: EgressGuard,
): Promise<CertificateInfo> {
  return new Promise((resolve, reject) => {
    connectVerified({ host, port, tls: { mode: 'insecure' }, signal, egress }, (err, result) => {
      if (err || !result) {
        reject(err ?? new Error('no socket'));
        return;
      }
      try {
        const raw = result.socket.getPeerCertificate().raw;
        const x509 = new X509Certificate(raw);
        resolve({
          fingerprint: x509.fingerprint256.toUpperCase(),
          subject: x509.subject.split('\n').join(', '),
          issuer: x509.issuer.split('\n').join(', '),
          validFrom: new Date(x509.validFrom).toISOString(),
          validTo: new Date(x509.validTo).toISOString(),
          subjectAltName: x509.subjectAltName ?? null,
          selfSigned: x509.checkIssued(x509),
        });
      } catch (e) {
        reject(
          proxmoxError('proxmox.bad_response', `${hostLabel(host, port)} sent an unreadable certificate`, undefined, e),
        );
      } finally {
        result.socket.destroy();
      }
    });
  });
}
