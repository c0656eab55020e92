// Proxmox servers: request and response shapes (DESIGN.md §6). The token secret is write-only:
// requests carry `apiToken`, responses only ever show `tokenId` (USER@REALM!TOKENID).
import { z } from 'zod';
import { ServerStatus } from '../events';
import { IntRange, model, NonEmpty, QueryInt } from './shared';

export const TLS_MODES = ['pinned', 'ca', 'insecure'] as const;
export const TlsMode = z.enum(TLS_MODES);
export type TlsMode = z.infer<typeof TlsMode>;

const USER = String.raw`[^\s@!:=/]+`;
const REALM = '[A-Za-z][A-Za-z0-9._-]*';
const TOKEN_NAME = '[A-Za-z][A-Za-z0-9._-]*';
const API_TOKEN = new RegExp(
  `^(${USER})@(${REALM})!(${TOKEN_NAME})=([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`,
);

export interface ParsedApiToken {
  /** `USER@REALM!TOKENID`, safe to show. */
  tokenId: string;
  secret: string;
}

/** `USER@REALM!TOKENID=SECRET` (the secret is the UUID Proxmox shows once), or null. */
export function parseApiToken(text: string): ParsedApiToken | null {
  const m = API_TOKEN.exec(text.trim());
  if (!m) return null;
  return { tokenId: `${m[1]}@${m[2]}!${m[3]}`, secret: (m[4] ?? '').toLowerCase() };
}

export const API_TOKEN_HINT =
  'must look like USER@REALM!TOKENID=SECRET, e.g. nexus@pve!broker=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';

export const ApiToken = z
  .string()
  .max(600)
  .refine((v) => parseApiToken(v) !== null, API_TOKEN_HINT);

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function isIpv6(v: string): boolean {
  if (!/^[0-9a-f:.]+$/.test(v) || !v.includes(':')) return false;
  const doubles = v.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = v.split(':').filter((g) => g !== '');
  return groups.length <= 8 && groups.every((g) => /^[0-9a-f]{1,4}$/.test(g) || IPV4.test(g));
}

/** A host name or IP address (no scheme, port or path); lowercased, IPv6 brackets removed. */
export function normalizeHost(text: string): string | null {
  let v = text.trim().toLowerCase();
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
  if (IPV4.test(v) || isIpv6(v)) return v;
  // All-numeric labels (`2130706433`, `0x7f.1`, `0251.0376.0251.0376`) are IPv4 in the legacy
  // forms the system resolver accepts: refused here so an address has one spelling (the egress
  // check after resolution would refuse a disallowed one anyway).
  const legacyIpv4 = v.split('.').every((label) => /^(0x[0-9a-f]*|\d+)?$/.test(label));
  if (HOSTNAME.test(v) && !legacyIpv4) return v.replace(/\.$/, '');
  return null;
}

export const Host = z
  .string()
  .max(255)
  .transform((v, ctx) => {
    const host = normalizeHost(v);
    if (host === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a host name or IP address, without scheme, port or path' });
      return z.NEVER;
    }
    return host;
  });

export const Port = IntRange(1, 65535);

/** SHA-256 as `AA:BB:…`; accepts any case, with or without colons. */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)?.join(':') ?? null;
}

export const Fingerprint = z
  .string()
  .max(200)
  .transform((v, ctx) => {
    const fp = normalizeFingerprint(v);
    if (!fp) {
      ctx.addIssue({ code: 'custom', message: 'must be a SHA-256 fingerprint (32 bytes of hex, e.g. AA:BB:…)' });
      return z.NEVER;
    }
    return fp;
  });

export const CaPem = z
  .string()
  .max(64 * 1024)
  .refine((v) => /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(v), 'must be a PEM certificate');

export const ConnectionTimeoutMs = IntRange(1000, 120_000);

export const CreateServerBody = z
  .object({
    name: NonEmpty(100),
    host: Host,
    port: Port.optional(),
    apiToken: ApiToken,
    tlsMode: TlsMode.optional(),
    tlsFingerprint: Fingerprint.nullable().optional(),
    caPem: CaPem.nullable().optional(),
    useTailscale: z.boolean().optional(),
    tailscaleHostname: Host.nullable().optional(),
    connectionTimeoutMs: ConnectionTimeoutMs.optional(),
    isActive: z.boolean().optional(),
    /** Test the connection and the token (with the pin) first; refuse with the diagnosis when it fails. */
    verify: z.boolean().optional(),
  })
  .strict();
export type CreateServerBody = z.infer<typeof CreateServerBody>;

/** PATCH: any subset. A new `apiToken` replaces the stored one; a new `tlsFingerprint` re-pins. */
export const UpdateServerBody = CreateServerBody.omit({ verify: true }).partial().strict();
export type UpdateServerBody = z.infer<typeof UpdateServerBody>;

export const Server = model('Server', {
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  host: z.string(),
  port: z.number(),
  /** The address Nexus dials: `host`, or `tailscaleHostname` with Tailscale on. */
  dialHost: z.string(),
  tokenId: z.string(),
  tlsMode: TlsMode,
  tlsFingerprint: z.string().nullable(),
  caPem: z.string().nullable(),
  useTailscale: z.boolean(),
  tailscaleHostname: z.string().nullable(),
  connectionTimeoutMs: z.number(),
  isActive: z.boolean(),
  status: ServerStatus,
  statusChangedAt: z.string().nullable(),
  lastHealthCheckAt: z.string().nullable(),
  healthCheckError: z.string().nullable(),
  avgResponseTimeMs: z.number().nullable(),
  /** Share of successful health checks in the last 24 h, 0–1. */
  successRate: z.number().nullable(),
  learnedTimeoutMs: z.number().nullable(),
  consecutiveFailures: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  can: z.object({ manage: z.boolean() }),
});
export type Server = z.infer<typeof Server>;

export { ServerParams } from './shared';

export const ProbeBody = z.object({ host: Host, port: Port.optional() }).strict();
export const ProbeResult = model('CertificateProbe', {
  fingerprint: z.string(),
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  subjectAltName: z.string().nullable(),
  selfSigned: z.boolean(),
});

export const ServerTestResult = model('ServerTestResult', {
  ok: z.boolean(),
  status: ServerStatus,
  latencyMs: z.number().nullable(),
  version: z.string().nullable(),
  release: z.string().nullable(),
  /** The certificate the server presented on this test. */
  fingerprint: z.string().nullable(),
  pinMatches: z.boolean().nullable(),
  permissions: z
    .object({
      listGuests: z.boolean(),
      power: z.boolean(),
      console: z.boolean(),
      nodeAudit: z.boolean(),
      nodeShell: z.boolean(),
    })
    .nullable(),
  guestsVisible: z.number().nullable(),
  /** Plain sentences for the operator, most important first. */
  diagnosis: z.array(z.string()),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ServerTestResult = z.infer<typeof ServerTestResult>;

export const IMPORT_COLUMNS = [
  'name',
  'host',
  'port',
  'api_token',
  'tls_mode',
  'tls_fingerprint',
  'use_tailscale',
  'tailscale_hostname',
  'connection_timeout_ms',
  /** Earlier exports' column: the token id without its secret (read like `api_token` `ID=`). */
  'token_id',
] as const;
/** An export is an import file without secrets: `api_token` holds `USER@REALM!TOKENID=`. */
export const EXPORT_COLUMNS = IMPORT_COLUMNS.filter((c) => c !== 'token_id');

export const MAX_IMPORT_BYTES = 1024 * 1024;
export const ImportJsonBody = z
  .object({ csv: z.string().max(MAX_IMPORT_BYTES), dryRun: z.boolean().optional() })
  .strict();
export const ImportQuery = z.object({ dryRun: z.enum(['1', '0', 'true', 'false']).optional() });
export const ImportResult = model('ServerImportResult', {
  dryRun: z.boolean(),
  /** How many servers were created (0 on a dry run). */
  created: z.number(),
  /** The valid lines: created, or that would be created on a dry run (id null). */
  servers: z.array(
    z.object({ line: z.number(), id: z.string().nullable(), name: z.string(), host: z.string(), port: z.number() }),
  ),
  /** Refused lines; the header is line 1. */
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const METRIC_KINDS = ['health', 'api', 'console'] as const;
export const MetricsQuery = z.object({
  hours: QueryInt(1, 24 * 31, 24),
  kind: z.enum(METRIC_KINDS).default('health'),
});
const MetricFigures = {
  checks: z.number(),
  successes: z.number(),
  successRate: z.number().nullable(),
  avgResponseTimeMs: z.number().nullable(),
  p95ResponseTimeMs: z.number().nullable(),
};
export const ServerMetrics = model('ServerMetrics', {
  serverId: z.string(),
  kind: z.enum(METRIC_KINDS),
  hours: z.number(),
  from: z.string(),
  to: z.string(),
  /** One per UTC hour, oldest first, empty hours included. */
  buckets: z.array(z.object({ start: z.string(), ...MetricFigures })),
  totals: z.object(MetricFigures),
});
export type ServerMetrics = z.infer<typeof ServerMetrics>;
