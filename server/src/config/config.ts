// Every environment variable Nexus reads, validated once at start (DESIGN.md §3b).
// The parsed object is passed down; nothing below main.ts reads process.env.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseTargetList, type TargetRules } from '@common/egress';
import { z } from 'zod';
import { parseRoleMap, type RoleMapEntry } from '../modules/auth/sso/role-map';

const port = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((v, ctx) => {
      const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        ctx.addIssue({ code: 'custom', message: `must be a port number 0-65535, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
      error: 'must be true or false',
    })
    .default(fallback ? 'true' : 'false')
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** `auto`: from 4 cores, one relay worker per core but one (kept for the server's own work);
 * below, none — on 2 cores, where the machine has other work too, relays in the server's process
 * answered faster (docs/PERFORMANCE.md, "Relay workers"). */
export function relayWorkersForCores(cores: number): number {
  return cores >= 4 ? cores - 1 : 0;
}

const positiveInt = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((v, ctx) => {
      const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
      if (!Number.isSafeInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a positive integer, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const nonNegativeInt = (fallback: number | undefined) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = /^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
      if (!Number.isSafeInteger(n)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number (0 turns it off), got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Parses a 32-byte key given as 64 hex characters or 44 base64 characters. */
export function parseMasterKey(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) {
    const key = Buffer.from(value, 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

export const DEFAULT_MAX_CONNECTIONS_PER_IP = 256;

const EnvSchema = z.object({
  NEXUS_PORT: port(8080),
  NEXUS_HOST: z.string().min(1).default('0.0.0.0'),
  // Unset: http://localhost:<NEXUS_PORT> (and 127.0.0.1 as a second allowed origin).
  NEXUS_PUBLIC_URL: optional.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  ),
  NEXUS_ALLOWED_ORIGINS: optional.pipe(
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v) return [];
        const out: string[] = [];
        for (const raw of v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)) {
          try {
            const u = new URL(raw);
            if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
            out.push(u.origin);
          } catch {
            ctx.addIssue({ code: 'custom', message: `"${raw}" is not an http(s) origin` });
          }
        }
        return out;
      }),
  ),
  NEXUS_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'only postgres:// URLs are supported (leave unset for SQLite)')
      .optional(),
  ),
  NEXUS_MASTER_KEY: optional.pipe(
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const key = parseMasterKey(v);
        if (!key) {
          ctx.addIssue({ code: 'custom', message: 'must be 32 bytes as 64 hex or 44 base64 characters' });
          return z.NEVER;
        }
        return key;
      }),
  ),
  NEXUS_MASTER_KEY_PREVIOUS: optional.transform((v, ctx) => {
    if (v === undefined) return [];
    const keys: Buffer[] = [];
    for (const part of v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const key = parseMasterKey(part);
      if (!key) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be comma-separated 32-byte keys (64 hex or 44 base64 characters)',
        });
        return z.NEVER;
      }
      keys.push(key);
    }
    return keys;
  }),
  NEXUS_ADMIN_EMAIL: optional.pipe(z.email('must be an email address').optional()),
  NEXUS_ADMIN_PASSWORD: optional.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
  NEXUS_SIGNUP: z.enum(['open', 'closed'], { error: 'must be "open" or "closed"' }).default('closed'),
  NEXUS_PASSWORD_LOGIN: z.enum(['on', 'admins', 'off'], { error: 'must be "on", "admins" or "off"' }).default('on'),
  NEXUS_OIDC_ISSUER: optional.pipe(z.url('must be the issuer URL').optional()),
  NEXUS_OIDC_CLIENT_ID: optional,
  NEXUS_OIDC_CLIENT_SECRET: optional,
  NEXUS_OIDC_NAME: optional,
  NEXUS_OIDC_SCOPES: optional,
  NEXUS_OIDC_GROUPS_CLAIM: optional,
  NEXUS_OIDC_ROLE_MAP: optional,
  NEXUS_OIDC_ALLOW_LINKING: flag(false),
  NEXUS_OIDC_TRUST_MFA: flag(false),
  NEXUS_REQUIRE_MFA: z.enum(['off', 'admins', 'all'], { error: 'must be "off", "admins" or "all"' }).default('off'),
  NEXUS_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  NEXUS_TRUST_PROXY: flag(false),
  NEXUS_METRICS_RETENTION_DAYS: positiveInt(30),
  NEXUS_SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  NEXUS_METRICS_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  NEXUS_MAX_CONNECTIONS_PER_IP: nonNegativeInt(undefined),
  NEXUS_CONSOLE_PENDING_TICKETS: positiveInt(3),
  NEXUS_CONSOLE_TICKETS_PER_MINUTE: positiveInt(30),
  NEXUS_RELAY_WORKERS: z
    .string()
    .default('auto')
    .transform((v, ctx) => {
      if (v.trim() === 'auto') return relayWorkersForCores(availableParallelism());
      const n = /^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
      if (!Number.isSafeInteger(n) || n > 64) {
        ctx.addIssue({
          code: 'custom',
          message: `must be auto or a whole number up to 64 (0: relay here), got "${v}"`,
        });
        return z.NEVER;
      }
      return n;
    }),
  NEXUS_RECORDINGS_DIR: optional,
  NEXUS_RECORDINGS_MIN_FREE_MB: nonNegativeInt(256),
  NEXUS_ALLOWED_TARGETS: optional.transform((v, ctx): TargetRules | null => {
    if (v === undefined) return null;
    const { rules, errors } = parseTargetList(v);
    for (const message of errors) ctx.addIssue({ code: 'custom', message });
    if (rules.length === 0 && errors.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'lists no target (leave it unset for the default)' });
    }
    return rules;
  }),
  NEXUS_SMTP_URL: optional.pipe(
    z.url({ protocol: /^smtps?$/, error: 'must be smtp://[user:pass@]host:port or smtps://…' }).optional(),
  ),
  NEXUS_MAIL_FROM: optional.pipe(
    z
      .string()
      .regex(/^([^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, 'must be an address or "Name <address>"')
      .optional(),
  ),
  NEXUS_SMTP_CA_FILE: optional,
  PROXMOX_HOST: optional,
  PROXMOX_PORT: port(8006),
  PROXMOX_API_TOKEN: optional,
});

export interface OidcProviderConfig {
  id: string;
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  /** The sign-in button's label. */
  name: string;
  scopes: string;
  groupsClaim: string;
  roleMap: RoleMapEntry[];
  /** An existing local account with the IdP's verified e-mail may be linked (else refused). */
  allowLinking: boolean;
  /** The IdP enforces MFA: its sign-ins count as multi-factor when the ID token's amr says so. */
  trustMfa: boolean;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** Origins allowed for WebSocket upgrades and cookie-authenticated writes. */
  allowedOrigins: string[];
  secureCookies: boolean;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  masterKey: Buffer | undefined;
  /** Older master keys, read only (to unwrap data keys during a rotation with NEXUS_MASTER_KEY). */
  previousMasterKeys: Buffer[];
  admin: { email: string; password: string } | undefined;
  signup: 'open' | 'closed';
  /** Who must have a second factor: nobody (tenants may ask, setting requireMfa), admins (global
   * admins and tenant admins) or everyone; they enrol at their next sign-in. */
  requireMfa: 'off' | 'admins' | 'all';
  /** Password sign-in: for everyone, only global admins (the break-glass beside SSO), or not
   * offered (global admins still have the break-glass form at /login?password=1). */
  passwordLogin: 'on' | 'admins' | 'off';
  /** The identity provider from the environment (id `default`), if any. */
  oidc: OidcProviderConfig | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  metricsRetentionDays: number;
  shutdownTimeoutMs: number;
  /** When set, GET /metrics needs it as a Bearer token. */
  metricsToken: string | undefined;
  /** Open TCP connections one peer address may hold at once; 0: no cap. */
  maxConnectionsPerIp: number;
  /** Per user, every tenant: unused console tickets held at once, and tickets issued per minute. */
  consoleTickets: { maxPendingPerUser: number; perUserPerMinute: number };
  /** Child processes that run console relays (0: in the server's own process). */
  relayWorkers: number;
  /** Console recordings: where files go (a shared mount for several instances) and the free
   * space below which a console is not recorded (the console still opens). */
  recordings: { dir: string; minFreeBytes: number };
  /** NEXUS_ALLOWED_TARGETS: what Nexus may dial; null = everything but link-local and metadata. */
  allowedTargets: TargetRules | null;
  /** Outbound mail (alert channels, personal alerts): the relay, the sender, a CA to trust for
   * its TLS besides the system's. TLS is always verified. */
  smtp: { url: string; from: string; caFile: string | undefined } | undefined;
  defaultServer: { host: string; port: number; apiToken: string } | undefined;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Reads the whole environment at once and reports every problem, not just the first. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = EnvSchema.safeParse(env);
  const errors: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push(`${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    }
  }
  // Rules across variables, checked on the raw values so they are listed with the others.
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  if (set('NEXUS_ADMIN_EMAIL') !== set('NEXUS_ADMIN_PASSWORD')) {
    errors.push('NEXUS_ADMIN_EMAIL and NEXUS_ADMIN_PASSWORD: set both or neither');
  }
  if (set('PROXMOX_HOST') !== set('PROXMOX_API_TOKEN')) {
    errors.push('PROXMOX_HOST and PROXMOX_API_TOKEN: set both or neither');
  }
  if (set('DATABASE_URL') && !set('NEXUS_MASTER_KEY')) {
    errors.push(
      'NEXUS_MASTER_KEY: required with DATABASE_URL (every instance must share one key; a key file per data dir would diverge)',
    );
  }
  if (set('NEXUS_OIDC_ISSUER') !== set('NEXUS_OIDC_CLIENT_ID')) {
    errors.push('NEXUS_OIDC_ISSUER and NEXUS_OIDC_CLIENT_ID: set both or neither');
  }
  if (set('NEXUS_SMTP_URL') !== set('NEXUS_MAIL_FROM')) {
    errors.push('NEXUS_SMTP_URL and NEXUS_MAIL_FROM: set both or neither');
  }
  const roleMap = parseRoleMap(env.NEXUS_OIDC_ROLE_MAP);
  if ('error' in roleMap) errors.push(`NEXUS_OIDC_ROLE_MAP: ${roleMap.error}`);
  if (!parsed.success || errors.length > 0 || 'error' in roleMap) return { ok: false, errors };
  const e = parsed.data;

  const publicUrl = e.NEXUS_PUBLIC_URL ?? `http://localhost:${e.NEXUS_PORT}`;
  const publicOrigin = new URL(publicUrl).origin;
  // Without a configured URL the browser may be on either loopback spelling.
  const derivedOrigins = e.NEXUS_PUBLIC_URL ? [] : [`http://127.0.0.1:${e.NEXUS_PORT}`];
  const dataDir = path.resolve(e.NEXUS_DATA_DIR);
  return {
    ok: true,
    config: {
      port: e.NEXUS_PORT,
      host: e.NEXUS_HOST,
      publicUrl: publicUrl.replace(/\/+$/, ''),
      allowedOrigins: [...new Set([publicOrigin, ...derivedOrigins, ...e.NEXUS_ALLOWED_ORIGINS])],
      secureCookies: publicOrigin.startsWith('https:'),
      dataDir,
      database: e.DATABASE_URL
        ? { kind: 'postgres', url: e.DATABASE_URL }
        : { kind: 'sqlite', file: path.join(dataDir, 'nexus.db') },
      masterKey: e.NEXUS_MASTER_KEY,
      previousMasterKeys: e.NEXUS_MASTER_KEY_PREVIOUS,
      admin:
        e.NEXUS_ADMIN_EMAIL && e.NEXUS_ADMIN_PASSWORD
          ? { email: e.NEXUS_ADMIN_EMAIL.toLowerCase(), password: e.NEXUS_ADMIN_PASSWORD }
          : undefined,
      signup: e.NEXUS_SIGNUP,
      requireMfa: e.NEXUS_REQUIRE_MFA,
      passwordLogin: e.NEXUS_PASSWORD_LOGIN,
      oidc:
        e.NEXUS_OIDC_ISSUER && e.NEXUS_OIDC_CLIENT_ID
          ? {
              id: 'default',
              issuer: e.NEXUS_OIDC_ISSUER,
              clientId: e.NEXUS_OIDC_CLIENT_ID,
              clientSecret: e.NEXUS_OIDC_CLIENT_SECRET,
              name: e.NEXUS_OIDC_NAME ?? 'Single sign-on',
              scopes: e.NEXUS_OIDC_SCOPES ?? 'openid email profile groups',
              groupsClaim: e.NEXUS_OIDC_GROUPS_CLAIM ?? 'groups',
              roleMap: roleMap.entries,
              allowLinking: e.NEXUS_OIDC_ALLOW_LINKING,
              trustMfa: e.NEXUS_OIDC_TRUST_MFA,
            }
          : undefined,
      logLevel: e.NEXUS_LOG_LEVEL,
      trustProxy: e.NEXUS_TRUST_PROXY,
      metricsRetentionDays: e.NEXUS_METRICS_RETENTION_DAYS,
      shutdownTimeoutMs: e.NEXUS_SHUTDOWN_TIMEOUT_MS,
      metricsToken: e.NEXUS_METRICS_TOKEN,
      // Behind a trusted proxy every connection comes from the proxy: capping its address would
      // cap everyone together, so the cap is off unless set (the proxy should cap per client).
      maxConnectionsPerIp: e.NEXUS_MAX_CONNECTIONS_PER_IP ?? (e.NEXUS_TRUST_PROXY ? 0 : DEFAULT_MAX_CONNECTIONS_PER_IP),
      consoleTickets: {
        maxPendingPerUser: e.NEXUS_CONSOLE_PENDING_TICKETS,
        perUserPerMinute: e.NEXUS_CONSOLE_TICKETS_PER_MINUTE,
      },
      relayWorkers: e.NEXUS_RELAY_WORKERS,
      recordings: {
        dir: path.resolve(e.NEXUS_RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
        minFreeBytes: (e.NEXUS_RECORDINGS_MIN_FREE_MB ?? 256) * 1024 * 1024,
      },
      allowedTargets: e.NEXUS_ALLOWED_TARGETS,
      smtp:
        e.NEXUS_SMTP_URL && e.NEXUS_MAIL_FROM
          ? { url: e.NEXUS_SMTP_URL, from: e.NEXUS_MAIL_FROM, caFile: e.NEXUS_SMTP_CA_FILE }
          : undefined,
      defaultServer:
        e.PROXMOX_HOST && e.PROXMOX_API_TOKEN
          ? { host: e.PROXMOX_HOST, port: e.PROXMOX_PORT, apiToken: e.PROXMOX_API_TOKEN }
          : undefined,
    },
  };
}

/** Every variable the schema reads; a unit test checks the README documents each one. */
export const ENV_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);
