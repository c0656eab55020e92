// What every way of writing a server shares (CRUD, CSV import, the default server): building a
// row from a validated body with its secret sealed, the tenant-locked insert that keeps the
// limit and uniqueness, the insecure-TLS right, events, and presenting a row to a caller.
// A stored token never follows a changed endpoint: the helpers below say when one changed.
import { createHash } from 'node:crypto';
import { type CreateServerBody, parseApiToken, type Server, type TlsMode } from '@common/schemas/servers';
import type { TenantSettings } from '@common/schemas/tenants';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { bool, isUniqueViolation } from '../../db/tx';
import type { TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import { authorize } from '../../policy/policy';
import type { EventHub } from '../../realtime/hub';
import type { AuditService } from '../audit/audit.service';
import type { CredentialVault } from './credential-vault';
import { dialHost, tlsPolicyOf } from './server-connector';
import { presentServer } from './servers.presenter';
import type { ServerRow, ServersRepo } from './servers.repo';

export interface ServerWritesDeps {
  db: Kysely<Database>;
  repo: ServersRepo;
  vault: CredentialVault;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
}

/** Fields whose change makes what was learned about the server's health meaningless. */
export const CONNECTION_FIELDS = [
  'host',
  'port',
  'token_id',
  'token_secret_encrypted',
  'tls_mode',
  'tls_fingerprint',
  'ca_pem',
  'use_tailscale',
  'tailscale_hostname',
  'connection_timeout_ms',
  'is_active',
] as const;

interface Settings {
  tlsMode: TlsMode;
  fingerprint: string | null;
  useTailscale: boolean;
  tailscaleHostname: string | null;
}

/** Rules across fields; null when consistent. */
export function settingsProblem(s: Settings): { path: string; message: string } | null {
  if (s.tlsMode === 'pinned' && !s.fingerprint) {
    return {
      path: 'tlsFingerprint',
      message: 'required in pinned mode: probe the server (POST …/servers/probe) and confirm its fingerprint',
    };
  }
  if (s.useTailscale && !s.tailscaleHostname) {
    return { path: 'tailscaleHostname', message: 'required when useTailscale is on' };
  }
  return null;
}

/** Where the stored token would be sent: the dialed address and port. */
export const dialTarget = (r: ServerRow) => ({
  host: r.host,
  port: r.port,
  useTailscale: r.use_tailscale === 1,
  tailscaleHostname: r.tailscale_hostname,
});
export const endpointChanged = (before: ServerRow, next: ServerRow) =>
  dialHost(before) !== dialHost(next) || before.port !== next.port;

/** The certificate Nexus would accept, for the audit log (a CA by its hash: PEMs are long). */
export const trustOf = (r: ServerRow) => ({
  tlsMode: r.tls_mode,
  fingerprint: r.tls_mode === 'pinned' ? r.tls_fingerprint : null,
  caSha256: r.tls_mode === 'ca' && r.ca_pem ? createHash('sha256').update(r.ca_pem).digest('hex') : null,
});

/** Whether `next` accepts other certificates than `before` did; an insecure server had none to weaken. */
export function trustChanged(before: ServerRow, next: ServerRow): boolean {
  if (before.tls_mode === 'insecure') return false;
  return JSON.stringify(tlsPolicyOf(before)) !== JSON.stringify(tlsPolicyOf(next));
}

export function invalid(problem: { path: string; message: string }): AppError {
  return new AppError('http.validation_failed', 'The request is not valid', {
    details: [{ in: 'body', path: problem.path, message: problem.message }],
  });
}

export const DEFAULT_PORT = 8006;

export class ServerWrites {
  constructor(private readonly d: ServerWritesDeps) {}

  present(ctx: TenantContext, row: ServerRow): Server {
    const target = { kind: 'server' as const, scope: ctx.scope, serverId: row.id };
    return presentServer(row, { manage: authorize(ctx.actor, 'server:manage', target).allowed });
  }

  async require(tenantId: string, serverId: string): Promise<ServerRow> {
    const row = await this.d.repo.find(this.d.db, tenantId, serverId);
    if (!row) throw new AppError('server.not_found', 'Server not found');
    return row;
  }

  /** A new row from a validated body and the tenant's defaults; the secret is sealed here. */
  async newRow(
    tenantId: string,
    body: CreateServerBody,
    defaults: TenantSettings,
    createdBy: string | null,
    opts: { allowUnpinned?: boolean } = {},
  ): Promise<ServerRow> {
    const token = parseApiToken(body.apiToken);
    if (!token) throw invalid({ path: 'apiToken', message: 'not USER@REALM!TOKENID=SECRET' });
    const tlsMode = body.tlsMode ?? defaults.defaultTlsMode;
    const problem = settingsProblem({
      tlsMode,
      fingerprint: body.tlsFingerprint ?? null,
      useTailscale: body.useTailscale ?? false,
      tailscaleHostname: body.tailscaleHostname ?? null,
    });
    if (problem && !(opts.allowUnpinned && problem.path === 'tlsFingerprint')) throw invalid(problem);
    const id = newId();
    const now = this.d.clock.now();
    return {
      id,
      tenant_id: tenantId,
      name: body.name,
      host: body.host,
      port: body.port ?? DEFAULT_PORT,
      token_id: token.tokenId,
      token_secret_encrypted: await this.d.vault.sealTokenSecret(tenantId, id, token.secret),
      tls_mode: tlsMode,
      tls_fingerprint: body.tlsFingerprint ?? null,
      ca_pem: body.caPem ?? null,
      use_tailscale: bool(body.useTailscale ?? false),
      tailscale_hostname: body.tailscaleHostname ?? null,
      connection_timeout_ms: body.connectionTimeoutMs ?? defaults.defaultConnectionTimeoutMs,
      is_active: bool(body.isActive ?? true),
      connection_status: 'unknown',
      last_health_check_at: null,
      health_check_error: null,
      avg_response_time_ms: null,
      success_rate: null,
      learned_timeout_ms: null,
      consecutive_failures: 0,
      next_check_at: null,
      status_changed_at: null,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
      verified_at: null,
      verified_endpoint: null,
    };
  }

  auditDetails(row: ServerRow): Record<string, unknown> {
    return {
      name: row.name,
      host: row.host,
      port: row.port,
      apiUser: row.token_id,
      tlsMode: row.tls_mode,
      insecure: row.tls_mode === 'insecure',
      fingerprint: row.tls_fingerprint,
      useTailscale: row.use_tailscale === 1,
      tailscaleHostname: row.tailscale_hostname,
    };
  }

  /** Inside the tenant's lock: the limit and duplicate checks cannot race another writer. */
  async insertChecked(trx: Transaction<Database>, row: ServerRow, maxServers: number): Promise<void> {
    const count = await this.d.repo.count(trx, row.tenant_id);
    if (count >= maxServers) {
      throw new AppError('server.limit_reached', `This tenant may have at most ${maxServers} servers`);
    }
    if ((await this.d.repo.hostPorts(trx, row.tenant_id)).has(`${row.host}:${row.port}`)) {
      throw new AppError(
        'server.duplicate',
        `A server with host ${row.host}:${row.port} already exists in this tenant`,
      );
    }
    await this.d.repo.insert(trx, row);
  }

  /** `insecure` turns off the only check that keeps the token from a stranger: tenant admins only. */
  async requireInsecureRight(ctx: TenantContext, tlsMode: string, details: Record<string, unknown>) {
    if (tlsMode !== 'insecure') return;
    if (authorize(ctx.actor, 'server:insecure', { kind: 'tenant', scope: ctx.scope }).allowed) return;
    await this.d.audit.recordAlone(ctx.audit, {
      tenantId: ctx.scope.tenantId,
      action: 'server.insecure_refused',
      targetType: 'server',
      result: 'denied',
      details,
    });
    throw new AppError(
      'server.insecure_forbidden',
      'Only tenant admins may turn off certificate verification (tlsMode insecure); pin the fingerprint instead',
    );
  }

  async withDuplicateGuard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('server.duplicate', 'A server with this host and port already exists in this tenant');
      }
      throw err;
    }
  }

  async publish(row: ServerRow, type: 'server.created' | 'server.updated'): Promise<void> {
    await this.d.hub.publishTenant({
      type,
      tenantId: row.tenant_id,
      at: new Date(this.d.clock.now()).toISOString(),
      serverId: row.id,
      name: row.name,
    });
  }
}
