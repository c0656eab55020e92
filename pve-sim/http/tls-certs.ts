// Certificates as a Proxmox VE cluster has them: a cluster CA ("Proxmox Virtual Environment")
// signing one certificate per node, whose SHA-256 fingerprint /nodes reports as ssl_fingerprint.
import { generateKeyPair, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';

export interface TlsIdentity {
  key: string;
  cert: string;
  /** SHA-256, uppercase colon-separated hex, as Proxmox shows it. */
  fingerprint: string;
}

export interface CertificateAuthority {
  key: string;
  cert: string;
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

const YEAR_MS = 365 * 86400 * 1000;

type KeyPair = { privateKey: string; publicKey: string };
const rsaKeyPairs = new Map<string, Promise<KeyPair>>();

/** RSA 2048 keys as Proxmox uses, made once per process and role: generating them takes ~150 ms
 * each, and every certificate still differs (serial, subject, dates), so fingerprints stay
 * unique — pinning, renewal and impostors behave as with fresh keys. */
function rsaKeyPair(role: 'ca' | 'node'): Promise<KeyPair> {
  let pair = rsaKeyPairs.get(role);
  if (!pair) {
    pair = promisify(generateKeyPair)('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    rsaKeyPairs.set(role, pair);
  }
  return pair;
}

export async function createClusterCa(clusterName: string): Promise<CertificateAuthority> {
  const ca = await generate(
    [
      { name: 'commonName', value: `Proxmox Virtual Environment` },
      { shortName: 'OU', value: `pve-sim ${clusterName}` },
      { name: 'organizationName', value: 'PVE Cluster Manager CA' },
    ],
    {
      keyPair: await rsaKeyPair('ca'),
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 10 * YEAR_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    },
  );
  return { key: ca.private, cert: ca.cert };
}

/** A node certificate (pve-ssl.pem) for `node`, valid for the loopback address it listens on.
 * Without a CA it is self-signed: the impostor certificate of the wrongCert fault (EC, as it
 * needs no fidelity and should cost no start-up time). */
export async function createNodeCert(ca: CertificateAuthority | null, node: string, ip: string): Promise<TlsIdentity> {
  const issued = await generate(
    [
      { name: 'commonName', value: `${node}.pve-sim.invalid` },
      { name: 'organizationName', value: 'PVE Cluster Node' },
    ],
    {
      ...(ca ? { ca, keyPair: await rsaKeyPair('node') } : { keyType: 'ec' as const }),
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 2 * YEAR_MS),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: node },
            { type: 2, value: 'localhost' },
            { type: 7, ip },
          ],
        },
      ],
    },
  );
  return { key: issued.private, cert: issued.cert, fingerprint: fingerprintOf(issued.cert) };
}
