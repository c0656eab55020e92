// TLS to a Proxmox server under one of three policies. Pinned: any chain and any name, but the
// leaf certificate's SHA-256 must equal the pin (so a Tailscale or IP name mismatch is harmless).
// CA: normal verification against a given CA PEM (or the system CAs). Insecure: no checks.
// The socket is handed to HTTP only after the check, so no request byte reaches a wrong peer.
// Before any of that, the egress policy: the host is resolved here, every address it resolves
// to is checked against the operator's (and the tenant's) allowed targets, and the socket is
// opened to exactly those addresses (SNI and certificate names stay the host name), so a name
// cannot rebind between the check and the dial (lib/egress.ts). Every Proxmox socket is created
// in this file; other outbound sockets (webhooks, syslog) in lib/outbound.ts, through the same check.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';

export {
  DEFAULT_EGRESS,
  type EgressGuard,
  hostLabel,
  type ResolvedAddress,
  type Resolver,
  systemResolver,
} from '../lib/egress';

import { checkedAddresses, type EgressGuard, fixedLookup, hostLabel } from '../lib/egress';
import { proxmoxError, transportError } from './proxmox-errors';

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
