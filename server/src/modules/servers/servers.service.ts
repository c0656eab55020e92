// Proxmox servers of a tenant: CRUD with the atomic per-tenant limit, certificate probe,
// connectivity test, CSV import/export, metrics, the default server, and `connect()` — the way
// every other module gets a Proxmox connection for a registered server.
// A stored token never follows a changed endpoint: moving a server (host, port, Tailscale) or
// changing which certificate it is trusted by needs the token again in the same request.
import { createHash } from 'node:crypto';
import type { ServerStatus } from '@common/events';
import {
  type CreateServerBody,
  type ImportResult,
  normalizeHost,
  parseApiToken,
  type Server,
  type ServerMetrics,
  type ServerTestResult,
  type TlsMode,
  type UpdateServerBody,
} from '@common/schemas/servers';
import type { TenantSettings } from '@common/schemas/tenants';
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { bool, isUniqueViolation, lockNamed } from '../../db/tx';
import type { TenantContext } from '../../http/context';
import { AppError, isAppError } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { authorize } from '../../policy/policy';
import {
  type CertificateInfo,
  cleanText,
  type ProxmoxConnection,
  PveClusterResources,
  PvePermissions,
  PveVersion,
} from '../../proxmox';
import type { EventHub } from '../../realtime/hub';
import { type AuditContext, type AuditService, SYSTEM_CONTEXT } from '../audit/audit.service';
import { parseSettings } from '../tenants/settings';
import type { TenantsService } from '../tenants/tenants.service';
import type { CredentialVault } from './credential-vault';
import { failureOf, type HealthScheduler } from './health-scheduler';
import { abilitiesOf, diagnose } from './permission-diagnosis';
import { dialHost, type ServerConnector, tenantTargets, tlsPolicyOf } from './server-connector';
import { type ImportCandidate, parseServerCsv, planImport, serversCsv } from './server-import';
import { bucketize, windowStart } from './server-metrics';
import { presentServer } from './servers.presenter';
import type { ServerRow, ServersRepo } from './servers.repo';

export interface ServersDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  repo: ServersRepo;
  vault: CredentialVault;
  connector: ServerConnector;
  health: HealthScheduler;
  tenants: TenantsService;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
  log: Logger;
}

/** Fields whose change makes what was learned about the server's health meaningless. */
const CONNECTION_FIELDS = [
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
function settingsProblem(s: Settings): { path: string; message: string } | null {
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
const dialTarget = (r: ServerRow) => ({
  host: r.host,
  port: r.port,
  useTailscale: r.use_tailscale === 1,
  tailscaleHostname: r.tailscale_hostname,
});
const endpointChanged = (before: ServerRow, next: ServerRow) =>
  dialHost(before) !== dialHost(next) || before.port !== next.port;

/** The certificate Nexus would accept, for the audit log (a CA by its hash: PEMs are long). */
const trustOf = (r: ServerRow) => ({
  tlsMode: r.tls_mode,
  fingerprint: r.tls_mode === 'pinned' ? r.tls_fingerprint : null,
  caSha256: r.tls_mode === 'ca' && r.ca_pem ? createHash('sha256').update(r.ca_pem).digest('hex') : null,
});

/** Whether `next` accepts other certificates than `before` did; an insecure server had none to weaken. */
function trustChanged(before: ServerRow, next: ServerRow): boolean {
  if (before.tls_mode === 'insecure') return false;
  return JSON.stringify(tlsPolicyOf(before)) !== JSON.stringify(tlsPolicyOf(next));
}

function invalid(problem: { path: string; message: string }): AppError {
  return new AppError('http.validation_failed', 'The request is not valid', {
    details: [{ in: 'body', path: problem.path, message: problem.message }],
  });
}

const DEFAULT_PORT = 8006;

export class ServersService {
  constructor(private readonly d: ServersDeps) {}

  // --- reading -----------------------------------------------------------------------------

  private present(ctx: TenantContext, row: ServerRow): Server {
    const target = { kind: 'server' as const, scope: ctx.scope, serverId: row.id };
    return presentServer(row, { manage: authorize(ctx.actor, 'server:manage', target).allowed });
  }

  /** Restricted members see only the servers that host their assigned guests. */
  private visibleIds(ctx: TenantContext): string[] | undefined {
    const a = ctx.scope.assignments;
    if (!a) return undefined;
    return [...new Set([...a.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))];
  }

  async list(ctx: TenantContext): Promise<Server[]> {
    const rows = await this.d.repo.list(this.d.db, ctx.scope.tenantId, this.visibleIds(ctx));
    return rows.map((r) => this.present(ctx, r));
  }

  private async require(tenantId: string, serverId: string): Promise<ServerRow> {
    const row = await this.d.repo.find(this.d.db, tenantId, serverId);
    if (!row) throw new AppError('server.not_found', 'Server not found');
    return row;
  }

  async get(ctx: TenantContext, serverId: string): Promise<Server> {
    return this.present(ctx, await this.require(ctx.scope.tenantId, serverId));
  }

  // --- creating ----------------------------------------------------------------------------

  /** A new row from a validated body and the tenant's defaults; the secret is sealed here. */
  private async newRow(
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

  private auditDetails(row: ServerRow): Record<string, unknown> {
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
  private async insertChecked(trx: Transaction<Database>, row: ServerRow, maxServers: number): Promise<void> {
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
  private async requireInsecureRight(ctx: TenantContext, tlsMode: string, details: Record<string, unknown>) {
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

  async create(ctx: TenantContext, body: CreateServerBody): Promise<Server> {
    const tenantId = ctx.scope.tenantId;
    const settings = await this.d.tenants.settings(tenantId);
    await this.requireInsecureRight(ctx, body.tlsMode ?? settings.defaultTlsMode, {
      name: body.name,
      host: body.host,
      port: body.port ?? DEFAULT_PORT,
    });
    const row = await this.newRow(tenantId, body, settings, ctx.actor.userId);
    await this.withDuplicateGuard(() =>
      this.d.db.transaction().execute(async (trx) => {
        await lockNamed(trx, this.d.dialect, `servers:${tenantId}`);
        await this.insertChecked(trx, row, settings.maxServers);
        await this.d.audit.record(trx, ctx.audit, {
          tenantId,
          action: 'server.created',
          targetType: 'server',
          targetId: row.id,
          details: this.auditDetails(row),
        });
      }),
    );
    await this.publish(row, 'server.created');
    return this.present(ctx, row);
  }

  private async withDuplicateGuard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('server.duplicate', 'A server with this host and port already exists in this tenant');
      }
      throw err;
    }
  }

  private async publish(row: ServerRow, type: 'server.created' | 'server.updated'): Promise<void> {
    await this.d.hub.publishTenant({
      type,
      tenantId: row.tenant_id,
      at: new Date(this.d.clock.now()).toISOString(),
      serverId: row.id,
      name: row.name,
    });
  }

  // --- updating ----------------------------------------------------------------------------

  async update(ctx: TenantContext, serverId: string, patch: UpdateServerBody): Promise<Server> {
    const tenantId = ctx.scope.tenantId;
    const before = await this.require(tenantId, serverId);
    const next: ServerRow = { ...before };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.host !== undefined) next.host = patch.host;
    if (patch.port !== undefined) next.port = patch.port;
    if (patch.tlsMode !== undefined) next.tls_mode = patch.tlsMode;
    if (patch.tlsFingerprint !== undefined) next.tls_fingerprint = patch.tlsFingerprint;
    if (patch.caPem !== undefined) next.ca_pem = patch.caPem;
    if (patch.useTailscale !== undefined) next.use_tailscale = bool(patch.useTailscale);
    if (patch.tailscaleHostname !== undefined) next.tailscale_hostname = patch.tailscaleHostname;
    if (patch.connectionTimeoutMs !== undefined) next.connection_timeout_ms = patch.connectionTimeoutMs;
    if (patch.isActive !== undefined) next.is_active = bool(patch.isActive);
    if (patch.apiToken !== undefined) {
      const token = parseApiToken(patch.apiToken);
      if (!token) throw invalid({ path: 'apiToken', message: 'not USER@REALM!TOKENID=SECRET' });
      next.token_id = token.tokenId;
      next.token_secret_encrypted = await this.d.vault.sealTokenSecret(tenantId, serverId, token.secret);
    }
    const problem = settingsProblem({
      tlsMode: next.tls_mode as TlsMode,
      fingerprint: next.tls_fingerprint,
      useTailscale: next.use_tailscale === 1,
      tailscaleHostname: next.tailscale_hostname,
    });
    if (problem) throw invalid(problem);
    const moved = endpointChanged(before, next);
    const retrusted = trustChanged(before, next);
    if (before.tls_mode !== 'insecure') {
      await this.requireInsecureRight(ctx, next.tls_mode, { id: serverId, name: before.name, from: before.tls_mode });
    }
    if ((moved || retrusted) && patch.apiToken === undefined) {
      await this.d.audit.recordAlone(ctx.audit, {
        tenantId,
        action: 'server.update_refused',
        targetType: 'server',
        targetId: serverId,
        result: 'denied',
        details: {
          name: before.name,
          reason: 'token_required',
          ...(moved ? { endpoint: { from: dialTarget(before), to: dialTarget(next) } } : {}),
          ...(retrusted ? { trust: { from: trustOf(before), to: trustOf(next) } } : {}),
        },
      });
      throw new AppError(
        'server.token_required',
        'A new address or certificate needs the API token again in the same request: the stored token never follows a changed endpoint',
        {
          details: [
            {
              in: 'body',
              path: 'apiToken',
              message: `required when ${moved ? 'host, port or Tailscale address' : 'the TLS verification'} changes`,
            },
          ],
        },
      );
    }

    const now = this.d.clock.now();
    next.updated_at = Math.max(now, before.updated_at + 1); // a concurrent health result sees the edit
    const reconnect = CONNECTION_FIELDS.some((f) => next[f] !== before[f]);
    if (reconnect) {
      Object.assign(next, {
        connection_status: 'unknown',
        health_check_error: null,
        consecutive_failures: 0,
        learned_timeout_ms: null,
        next_check_at: null,
        status_changed_at: before.connection_status === 'unknown' ? before.status_changed_at : now,
      });
    }
    const changed = (Object.keys(next) as (keyof ServerRow)[]).filter(
      (k) => next[k] !== before[k] && k !== 'updated_at' && k !== 'token_secret_encrypted',
    );

    await this.withDuplicateGuard(() =>
      this.d.db.transaction().execute(async (trx) => {
        await lockNamed(trx, this.d.dialect, `servers:${tenantId}`);
        if (next.host !== before.host || next.port !== before.port) {
          const owner = (await this.d.repo.hostPorts(trx, tenantId)).get(`${next.host}:${next.port}`);
          if (owner && owner !== serverId) {
            throw new AppError('server.duplicate', `A server with host ${next.host}:${next.port} already exists`);
          }
        }
        // Only what changed: health columns written meanwhile by the scheduler stay as they are.
        const set: Partial<ServerRow> = Object.fromEntries(changed.map((c) => [c, next[c]]));
        set.updated_at = next.updated_at;
        if (next.token_secret_encrypted !== before.token_secret_encrypted) {
          set.token_secret_encrypted = next.token_secret_encrypted;
        }
        await this.d.repo.update(trx, tenantId, serverId, set);
        await this.auditUpdate(trx, ctx.audit, before, next, changed, patch.apiToken !== undefined);
        if (moved) {
          await this.d.audit.record(trx, ctx.audit, {
            tenantId,
            action: 'server.endpoint_changed',
            targetType: 'server',
            targetId: serverId,
            details: { name: next.name, from: dialTarget(before), to: dialTarget(next), tokenReplaced: true },
          });
        }
        if (retrusted) {
          await this.d.audit.record(trx, ctx.audit, {
            tenantId,
            action: 'server.tls_trust_changed',
            targetType: 'server',
            targetId: serverId,
            details: {
              name: next.name,
              from: trustOf(before),
              to: trustOf(next),
              insecure: next.tls_mode === 'insecure',
              tokenReplaced: true,
            },
          });
        }
      }),
    );
    if (reconnect) this.d.health.forget(serverId);
    await this.publish(next, 'server.updated');
    if (before.is_active === 1 && next.is_active === 0) {
      await this.d.hub.publishSystem({ type: 'revoke.server', tenantId, serverId, reason: 'server deactivated' });
    }
    return this.present(ctx, next);
  }

  private async auditUpdate(
    trx: Transaction<Database>,
    who: AuditContext,
    before: ServerRow,
    next: ServerRow,
    changed: (keyof ServerRow)[],
    tokenReplaced: boolean,
  ): Promise<void> {
    const base = { tenantId: before.tenant_id, targetType: 'server', targetId: before.id };
    const config = changed.filter(
      (k) =>
        ![
          'connection_status',
          'health_check_error',
          'consecutive_failures',
          'learned_timeout_ms',
          'next_check_at',
          'status_changed_at',
          'tls_mode',
          'tls_fingerprint',
          'token_id',
        ].includes(k),
    );
    if (config.length > 0 || (!tokenReplaced && changed.length === 0)) {
      await this.d.audit.record(trx, who, {
        ...base,
        action: 'server.updated',
        details: {
          name: next.name,
          changes: Object.fromEntries(config.map((k) => [k, { from: before[k], to: next[k] }])),
        },
      });
    }
    if (tokenReplaced) {
      await this.d.audit.record(trx, who, {
        ...base,
        action: 'server.token_replaced',
        details: { name: next.name, apiUserFrom: before.token_id, apiUserTo: next.token_id },
      });
    }
    if (next.tls_mode !== before.tls_mode) {
      await this.d.audit.record(trx, who, {
        ...base,
        action: 'server.tls_mode_changed',
        details: { name: next.name, from: before.tls_mode, to: next.tls_mode, insecure: next.tls_mode === 'insecure' },
      });
    }
    if (next.tls_fingerprint !== before.tls_fingerprint) {
      await this.d.audit.record(trx, who, {
        ...base,
        action: 'server.tls_repinned',
        details: { name: next.name, from: before.tls_fingerprint, to: next.tls_fingerprint },
      });
    }
  }

  async remove(ctx: TenantContext, serverId: string): Promise<void> {
    const tenantId = ctx.scope.tenantId;
    const row = await this.require(tenantId, serverId);
    await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.repo.delete(trx, tenantId, serverId))) {
        throw new AppError('server.not_found', 'Server not found');
      }
      await this.d.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'server.deleted',
        targetType: 'server',
        targetId: serverId,
        details: { name: row.name, host: row.host, port: row.port },
      });
    });
    this.d.health.forget(serverId);
    const at = new Date(this.d.clock.now()).toISOString();
    await this.d.hub.publishTenant({ type: 'server.deleted', tenantId, at, serverId });
    await this.d.hub.publishSystem({ type: 'revoke.server', tenantId, serverId, reason: 'server deleted' });
  }

  // --- talking to the server ---------------------------------------------------------------

  async probe(ctx: TenantContext, host: string, port: number | undefined): Promise<CertificateInfo> {
    const settings = await this.d.tenants.settings(ctx.scope.tenantId);
    try {
      return await this.d.connector.proxmox.probeCertificate(host, port ?? DEFAULT_PORT, {
        timeoutMs: settings.defaultConnectionTimeoutMs,
        allowedTargets: tenantTargets(settings.allowedTargets),
      });
    } catch (err) {
      await this.auditRefusal(ctx, err, 'probe', { host, port: port ?? DEFAULT_PORT });
      throw err;
    }
  }

  /** A dial the egress policy refused, on a person's request (probe, test): audited. */
  private async auditRefusal(
    ctx: TenantContext,
    err: unknown,
    operation: 'probe' | 'test',
    details: Record<string, unknown>,
    serverId: string | null = null,
  ): Promise<void> {
    if (!isAppError(err) || err.code !== 'server.target_refused') return;
    await this.d.audit.recordAlone(ctx.audit, {
      tenantId: ctx.scope.tenantId,
      action: 'server.target_refused',
      targetType: 'server',
      targetId: serverId,
      result: 'denied',
      details: { operation, ...details },
    });
  }

  /**
   * Connectivity test: version and latency, the certificate seen, and what the token may do.
   * Failures are answered (ok: false, with a diagnosis), not thrown; the result counts as a
   * health check, so a fixed server shows online at once.
   */
  async test(ctx: TenantContext, serverId: string): Promise<ServerTestResult> {
    const row = await this.require(ctx.scope.tenantId, serverId);
    const result: ServerTestResult = {
      ok: false,
      status: row.connection_status as ServerStatus,
      latencyMs: null,
      version: null,
      release: null,
      fingerprint: null,
      pinMatches: null,
      permissions: null,
      guestsVisible: null,
      diagnosis: [],
      error: null,
    };
    const started = performance.now();
    let conn: ProxmoxConnection;
    try {
      conn = await this.d.connector.connect(row);
      const version = await conn.request('GET', '/version', {}, { schema: PveVersion, metric: false });
      result.ok = true;
      result.latencyMs = Math.round(version.elapsedMs * 10) / 10;
      // Text from the server: printable and short, whatever it sent.
      result.version = cleanText(version.data.version, 64);
      result.release = version.data.release == null ? null : cleanText(version.data.release, 64);
      result.fingerprint = version.peerFingerprint;
      result.pinMatches = row.tls_mode === 'pinned' ? true : null;
      await this.d.health.record(row, {
        ok: true,
        elapsedMs: version.elapsedMs,
        errorCode: null,
        error: null,
        tlsMismatch: null,
      });
    } catch (err) {
      const failure = failureOf(err, performance.now() - started);
      result.error = { code: failure.errorCode ?? 'proxmox.error', message: failure.error ?? 'failed' };
      if (failure.tlsMismatch) {
        result.fingerprint = failure.tlsMismatch.actual;
        result.pinMatches = false;
      }
      result.diagnosis = this.explainFailure(row, failure.errorCode, failure.tlsMismatch?.actual ?? null);
      result.status = (await this.d.health.record(row, failure)) ?? result.status;
      if (isAppError(err) && err.code === 'server.target_refused') {
        await this.auditRefusal(ctx, err, 'test', { name: row.name, host: dialHost(row), port: row.port }, row.id);
        throw err;
      }
      if (!isAppError(err)) this.d.log.error({ err, serverId }, 'connectivity test failed unexpectedly');
      return result;
    }
    try {
      const perms = await conn.get('/access/permissions', undefined, { schema: PvePermissions, metric: false });
      result.permissions = abilitiesOf(perms);
      if (result.permissions.listGuests) {
        const guests = await conn.get(
          '/cluster/resources',
          { type: 'vm' },
          { schema: PveClusterResources, metric: false },
        );
        result.guestsVisible = guests.length;
      }
      result.diagnosis = diagnose(perms, result.guestsVisible);
    } catch (err) {
      result.diagnosis = [
        `The version answered, but reading the token's permissions failed: ${(err as Error).message}`,
      ];
    }
    const fresh = await this.d.repo.find(this.d.db, row.tenant_id, row.id);
    result.status = (fresh?.connection_status as ServerStatus | undefined) ?? result.status;
    return result;
  }

  private explainFailure(row: ServerRow, code: string | null, presented: string | null): string[] {
    const where = `${row.use_tailscale === 1 && row.tailscale_hostname ? row.tailscale_hostname : row.host}:${row.port}`;
    switch (code) {
      case 'proxmox.auth_failed':
        return [
          'Proxmox rejected the API token: check that it exists, is not expired, and that the whole secret was entered.',
        ];
      case 'proxmox.permission_denied':
        return [
          'The token was accepted but may not read the version: give it at least one role (e.g. PVEAuditor on /).',
        ];
      case 'proxmox.tls_mismatch':
        return [
          row.tls_fingerprint
            ? `The certificate no longer matches the pinned fingerprint (it is now ${presented ?? 'unknown'}). If the certificate was renewed on purpose, check the new fingerprint on the Proxmox host and re-pin it; otherwise someone may be intercepting the connection.`
            : 'No fingerprint is pinned yet: probe the server and confirm its certificate fingerprint.',
        ];
      case 'proxmox.tls_error':
        return [
          'The certificate could not be verified against the CA: give the right CA certificate, or pin the fingerprint instead.',
        ];
      case 'proxmox.timeout':
        return [
          `${where} did not answer within ${row.connection_timeout_ms} ms: the server or the network is overloaded, or a firewall drops the traffic.`,
        ];
      case 'proxmox.unreachable':
        return [`Cannot connect to ${where}: check the host, the port (usually 8006) and that pveproxy is running.`];
      case 'server.target_refused':
        return [`The operator's egress policy does not let Nexus connect to ${where}.`];
      case 'server.credentials_unreadable':
        return ['The stored token cannot be decrypted (was the master key changed?): enter the API token again.'];
      default:
        return ['The server answered, but not as a Proxmox VE API does: is this the right host and port?'];
    }
  }

  /**
   * The entry point for other modules (inventory, consoles, explorer): a connection to one
   * registered, active server of the tenant, with its token decrypted and TLS policy applied.
   */
  async connect(tenantId: string, serverId: string): Promise<ProxmoxConnection> {
    const row = await this.require(tenantId, serverId);
    if (row.is_active !== 1) throw new AppError('server.inactive', 'This server is deactivated');
    return this.d.connector.connect(row);
  }

  /** Every active server of the tenant (optionally only some), each with a way to connect. */
  async activeServers(
    tenantId: string,
    onlyIds?: string[],
  ): Promise<{ id: string; name: string; status: ServerStatus; connect(): Promise<ProxmoxConnection> }[]> {
    const rows = await this.d.repo.list(this.d.db, tenantId, onlyIds);
    return rows
      .filter((r) => r.is_active === 1)
      .map((r) => ({
        id: r.id,
        name: r.name,
        status: r.connection_status as ServerStatus,
        connect: () => this.d.connector.connect(r),
      }));
  }

  // --- CSV ---------------------------------------------------------------------------------

  async importCsv(ctx: TenantContext, csv: string, dryRun: boolean): Promise<ImportResult> {
    const tenantId = ctx.scope.tenantId;
    const settings = await this.d.tenants.settings(tenantId);
    const parsed = parseServerCsv(csv);
    const insecure = parsed.candidates.filter((c) => (c.body.tlsMode ?? settings.defaultTlsMode) === 'insecure');
    if (insecure.length > 0) {
      await this.requireInsecureRight(ctx, 'insecure', { import: true, lines: insecure.map((c) => c.line) });
    }
    const check = (body: CreateServerBody) => {
      const p = settingsProblem({
        tlsMode: body.tlsMode ?? settings.defaultTlsMode,
        fingerprint: body.tlsFingerprint ?? null,
        useTailscale: body.useTailscale ?? false,
        tailscaleHostname: body.tailscaleHostname ?? null,
      });
      return p ? `${p.path === 'tlsFingerprint' ? 'tls_fingerprint' : 'tailscale_hostname'}: ${p.message}` : null;
    };
    const byLine = (a: { line: number }, b: { line: number }) => a.line - b.line;
    if (dryRun) {
      const plan = planImport(
        parsed.candidates,
        await this.d.repo.hostPorts(this.d.db, tenantId),
        await this.d.repo.count(this.d.db, tenantId),
        settings.maxServers,
        check,
      );
      return {
        dryRun: true,
        created: 0,
        servers: plan.accepted.map((p) => ({ line: p.line, id: null, name: p.body.name, host: p.host, port: p.port })),
        errors: [...parsed.errors, ...plan.errors].sort(byLine),
      };
    }
    // Seal every valid line's secret first (no crypto inside the transaction), then decide
    // again under the tenant's lock, so the limit holds against concurrent writers.
    const prepared = new Map<ImportCandidate, ServerRow>();
    for (const c of parsed.candidates) {
      if (check(c.body)) continue;
      prepared.set(c, await this.newRow(tenantId, c.body, settings, ctx.actor.userId));
    }
    const outcome = await this.withDuplicateGuard(() =>
      this.d.db.transaction().execute(async (trx) => {
        await lockNamed(trx, this.d.dialect, `servers:${tenantId}`);
        const plan = planImport(
          parsed.candidates,
          await this.d.repo.hostPorts(trx, tenantId),
          await this.d.repo.count(trx, tenantId),
          settings.maxServers,
          check,
        );
        const created: { line: number; row: ServerRow }[] = [];
        for (const p of plan.accepted) {
          const candidate = parsed.candidates.find((c) => c.line === p.line);
          const row = candidate ? prepared.get(candidate) : undefined;
          if (!row) continue;
          await this.d.repo.insert(trx, row);
          created.push({ line: p.line, row });
        }
        await this.d.audit.record(trx, ctx.audit, {
          tenantId,
          action: 'server.imported',
          targetType: 'tenant',
          targetId: tenantId,
          details: {
            created: created.length,
            refused: parsed.errors.length + plan.errors.length,
            servers: created.map((c) => ({ id: c.row.id, name: c.row.name, host: c.row.host, port: c.row.port })),
          },
        });
        return { created, errors: [...parsed.errors, ...plan.errors].sort(byLine) };
      }),
    );
    for (const c of outcome.created) await this.publish(c.row, 'server.created');
    return {
      dryRun: false,
      created: outcome.created.length,
      servers: outcome.created.map((c) => ({
        line: c.line,
        id: c.row.id,
        name: c.row.name,
        host: c.row.host,
        port: c.row.port,
      })),
      errors: outcome.errors,
    };
  }

  async exportCsv(ctx: TenantContext): Promise<string> {
    return serversCsv(await this.d.repo.list(this.d.db, ctx.scope.tenantId, this.visibleIds(ctx)));
  }

  // --- metrics -----------------------------------------------------------------------------

  async metrics(
    ctx: TenantContext,
    serverId: string,
    hours: number,
    kind: ServerMetrics['kind'],
  ): Promise<ServerMetrics> {
    const row = await this.require(ctx.scope.tenantId, serverId);
    const now = this.d.clock.now();
    const rows = await this.d.repo.metricsSince(this.d.db, row.tenant_id, row.id, kind, windowStart(now, hours));
    return { serverId: row.id, kind, hours, ...bucketize(rows, now, hours) };
  }

  // --- default server ----------------------------------------------------------------------

  /**
   * PROXMOX_HOST/PORT/API_TOKEN on first start: a tenant `default` and the server in it, its
   * certificate pinned on first use (one TLS handshake, nothing sent). When the handshake fails
   * the server is stored unpinned and shows tls_error until an admin pins it.
   */
  async ensureDefaultServer(def: { host: string; port: number; apiToken: string } | undefined): Promise<string | null> {
    if (!def) return null;
    const { db, repo, log } = this.d;
    const token = parseApiToken(def.apiToken);
    const host = normalizeHost(def.host);
    if (!token || !host) {
      log.error('PROXMOX_HOST or PROXMOX_API_TOKEN is malformed (USER@REALM!TOKENID=SECRET): no default server');
      return null;
    }
    let tenantId = await repo.tenantIdBySlug(db, 'default');
    if (tenantId && (await repo.hostPorts(db, tenantId)).has(`${host}:${def.port}`)) return null;
    let fingerprint: string | null = null;
    try {
      fingerprint = (await this.d.connector.proxmox.probeCertificate(host, def.port, { timeoutMs: 5000 })).fingerprint;
    } catch (err) {
      log.warn(
        { host, port: def.port, code: (err as AppError).code },
        'default server unreachable: stored without a pin',
      );
    }
    try {
      if (!tenantId) tenantId = await this.createDefaultTenant();
      const settings = parseSettings(null);
      const body: CreateServerBody = {
        name: host,
        host,
        port: def.port,
        apiToken: def.apiToken,
        tlsMode: 'pinned',
        tlsFingerprint: fingerprint,
      };
      const row = await this.newRow(tenantId, body, settings, null, { allowUnpinned: true });
      const tid = tenantId;
      await db.transaction().execute(async (trx) => {
        await lockNamed(trx, this.d.dialect, `servers:${tid}`);
        await this.insertChecked(trx, row, Number.MAX_SAFE_INTEGER);
        await this.d.audit.record(trx, SYSTEM_CONTEXT, {
          tenantId: tid,
          action: 'server.created',
          targetType: 'server',
          targetId: row.id,
          details: { ...this.auditDetails(row), source: 'PROXMOX_HOST', pinnedOnFirstUse: fingerprint !== null },
        });
      });
      log.info({ host, port: def.port, fingerprint }, 'registered the default Proxmox server in tenant "default"');
      return row.id;
    } catch (err) {
      // Another instance registered it first.
      if (isUniqueViolation(err) || (isAppError(err) && err.code === 'server.duplicate')) return null;
      throw err;
    }
  }

  private async createDefaultTenant(): Promise<string> {
    const id = newId();
    const now = this.d.clock.now();
    try {
      await this.d.db.transaction().execute(async (trx) => {
        await this.d.tenants.repo.insert(trx, {
          id,
          name: 'Default',
          slug: 'default',
          description: 'Created for the server given in PROXMOX_HOST',
          logo_url: null,
          is_active: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
        });
        await this.d.tenants.repo.saveSettings(trx, id, JSON.stringify(parseSettings(null)), now);
        await this.d.audit.record(trx, SYSTEM_CONTEXT, {
          tenantId: id,
          action: 'tenant.created',
          targetType: 'tenant',
          targetId: id,
          details: { name: 'Default', slug: 'default', source: 'PROXMOX_HOST' },
        });
      });
      return id;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const existing = await this.d.repo.tenantIdBySlug(this.d.db, 'default');
      if (!existing) throw err;
      return existing;
    }
  }
}
