// Secrets seen during a test file, for the scan that runs after every integration file
// (test/setup/secrets-scan.ts): no password, session id, API token or hash may appear in any
// response body or log line, except the one response that hands a token out by design.
import { createHash } from 'node:crypto';

interface Secret {
  value: string;
  kind: string;
  /** Transcript indexes where showing it is the point (e.g. the token creation response). */
  allowedIn: Set<number>;
}

const secrets = new Map<string, Secret>();
export const appLogs: string[][] = [];

export function registerSecret(value: string, kind: string, allowedInTranscriptIndex?: number): void {
  if (!value || value.length < 8) return;
  const s = secrets.get(value) ?? { value, kind, allowedIn: new Set<number>() };
  if (allowedInTranscriptIndex !== undefined) s.allowedIn.add(allowedInTranscriptIndex);
  secrets.set(value, s);
  // What the database stores instead: the SHA-256 of session ids and tokens.
  const hash = createHash('sha256').update(value).digest('hex');
  if (!secrets.has(hash)) secrets.set(hash, { value: hash, kind: `${kind} hash`, allowedIn: new Set() });
}

export function registeredSecrets(): Secret[] {
  return [...secrets.values()];
}

export const SECRET_PATTERNS: { name: string; re: RegExp }[] = [
  { name: 'argon2 hash', re: /\$argon2(id|i|d)\$/ },
  { name: 'PVE token header', re: /PVEAPIToken=[^"\s]*=[0-9a-f-]{8,}/i },
];
