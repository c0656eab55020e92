// TLS to a Proxmox server under one of three policies. Pinned: any chain and any name, but the
// leaf certificate's SHA-256 must equal the pin (so a Tailscale or IP name mismatch is harmless).
// CA: normal verification against a given CA PEM (or the system CAs). Insecure: no checks.
// The socket is handed to HTTP only after the check, so no request byte reaches a wrong peer.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
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

export const hostLabel = (host: string, port: number): string =>
  isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;

interface ConnectOptions {
  host: string;
  port: number;
  tls: TlsPolicy;
  signal: AbortSignal;
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

/** Opens a TLS connection and applies the policy; calls back exactly once. */
export function connectVerified(o: ConnectOptions, done: (err: Error | null, result?: VerifiedSocket) => void): void {
  const where = hostLabel(o.host, o.port);
  let settled = false;
  const finish = (err: Error | null, result?: VerifiedSocket) => {
    if (settled) return;
    settled = true;
    o.signal.removeEventListener('abort', onAbort);
    done(err, result);
  };
  if (o.signal.aborted) {
    finish(transportError(o.signal.reason, where));
    return;
  }
  const socket = tls.connect(connectOptions(o));
  const onAbort = () => {
    socket.destroy();
    finish(transportError(o.signal.reason, where));
  };
  o.signal.addEventListener('abort', onAbort, { once: true });
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
export function probeCertificate(host: string, port: number, signal: AbortSignal): Promise<CertificateInfo> {
  return new Promise((resolve, reject) => {
    connectVerified({ host, port, tls: { mode: 'insecure' }, signal }, (err, result) => {
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
