// Proxmox servers of a tenant: CRUD with the atomic per-tenant limit, and metrics. Other modules
// read servers and connect to them through server-directory.ts. Diagnostics
// (probe, test) are in server-diagnostics.ts, CSV in server-import.service.ts, the default
// server in server-bootstrap.ts; what they share with this file is in server-writes.ts.
// A stored token never follows a changed endpoint: moving a server (host, port, Tailscale) or
// changing which certificate it is trusted by needs the token again in the same request.

import type { CreateServerBody } from '@common/schemas/servers';
import {
  parseApiToken,
  type Server,
  type ServerMetrics,
  type TlsMode,
  type UpdateServerBody,
} from '@common/schemas/servers';
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { bool, lockNamed } from '../../db/tx';
import type { TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { visibleServerIds } from '../../policy/policy';
import type { EventHub } from '../../realtime/hub';
import type { AuditContext, AuditService } from '../audit/audit.service';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import type { CredentialVault } from './credential-vault';
import type { HealthScheduler } from './health-scheduler';
import type { ServerConnector } from './server-connector';
import type { ServerDiagnostics } from './server-diagnostics';
import { bucketize, windowStart } from './server-metrics';
import {
  CONNECTION_FIELDS,
  DEFAULT_PORT,
  dialTarget,
  endpointChanged,
  invalid,
  type ServerWrites,
  settingsProblem,
  trustChanged,
  trustOf,
} from './server-writes';
import type { ServerRow, ServersRepo } from './servers.repo';

export interface ServersDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  repo: ServersRepo;
  writes: ServerWrites;
  vault: CredentialVault;
  connector: ServerConnector;
  health: HealthScheduler;
  /** The connectivity test, run on a new server before it is saved when asked (`verify`). */
  diagnostics: Pick<ServerDiagnostics, 'checkDraft'>;
  settings: TenantSettingsReader;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
}

export class ServersService {
  constructor(private readonly d: ServersDeps) {}

  // --- reading -----------------------------------------------------------------------------

  async list(ctx: TenantContext): Promise<Server[]> {
    const rows = await this.d.repo.list(this.d.db, ctx.scope.tenantId, visibleServerIds(ctx.scope));
    return rows.map((r) => this.d.writes.present(ctx, r));
  }

  async get(ctx: TenantContext, serverId: string): Promise<Server> {
    return this.d.writes.present(ctx, await this.d.writes.require(ctx.scope.tenantId, serverId));
  }

  // --- creating ----------------------------------------------------------------------------

  async create(ctx: TenantContext, body: CreateServerBody): Promise<Server> {
    const tenantId = ctx.scope.tenantId;
    const settings = await this.d.settings.get(tenantId);
    await this.d.writes.requireInsecureRight(ctx, body.tlsMode ?? settings.defaultTlsMode, {
      name: body.name,
      host: body.host,
      port: body.port ?? DEFAULT_PORT,
    });
    const row = await this.d.writes.newRow(tenantId, body, settings, ctx.actor.userId);
    if (body.verify) {
      // Checked before saving, with the pin: a wrong secret is said now, not as "Auth error" later.
      const check = await this.d.diagnostics.checkDraft(ctx, row);
      if (!check.ok || check.permissions?.listGuests === false) {
        throw new AppError('server.check_failed', check.diagnosis[0] ?? check.error?.message ?? 'The check failed', {
          details: check,
        });
      }
    }
    await this.d.writes.withDuplicateGuard(() =>
      this.d.db.transaction().execute(async (trx) => {
        await lockNamed(trx, this.d.dialect, `servers:${tenantId}`);
        await this.d.writes.insertChecked(trx, row, settings.maxServers);
        await this.d.audit.record(trx, ctx.audit, {
          tenantId,
          action: 'server.created',
          targetType: 'server',
          targetId: row.id,
          details: this.d.writes.auditDetails(row),
        });
      }),
    );
    await this.d.writes.publish(row, 'server.created');
    return this.d.writes.present(ctx, row);
  }

  // --- updating ----------------------------------------------------------------------------

  async update(ctx: TenantContext, serverId: string, patch: UpdateServerBody): Promise<Server> {
    const tenantId = ctx.scope.tenantId;
    const before = await this.d.writes.require(tenantId, serverId);
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
      await this.d.writes.requireInsecureRight(ctx, next.tls_mode, {
        id: serverId,
        name: before.name,
        from: before.tls_mode,
      });
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

    await this.d.writes.withDuplicateGuard(() =>
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
        await this.auditUpdate(trx, ctx.audit, before, next, changed, {
          tokenReplaced: patch.apiToken !== undefined,
          moved,
          retrusted,
        });
      }),
    );
    if (reconnect) this.d.health.forget(serverId);
    await this.d.writes.publish(next, 'server.updated');
    if (before.is_active === 1 && next.is_active === 0) {
      await this.d.hub.publishSystem({ type: 'revoke.server', tenantId, serverId, reason: 'server deactivated' });
    }
    return this.d.writes.present(ctx, next);
  }

  private async auditUpdate(
    trx: Transaction<Database>,
    who: AuditContext,
    before: ServerRow,
    next: ServerRow,
    changed: (keyof ServerRow)[],
    how: { tokenReplaced: boolean; moved: boolean; retrusted: boolean },
  ): Promise<void> {
    const { tokenReplaced } = how;
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
    // A credential never follows a changed endpoint or trust: say so on its own row.
    if (how.moved) {
      await this.d.audit.record(trx, who, {
        ...base,
        action: 'server.endpoint_changed',
        details: { name: next.name, from: dialTarget(before), to: dialTarget(next), tokenReplaced: true },
      });
    }
    if (how.retrusted) {
      await this.d.audit.record(trx, who, {
        ...base,
        action: 'server.tls_trust_changed',
        details: {
          name: next.name,
          from: trustOf(before),
          to: trustOf(next),
          insecure: next.tls_mode === 'insecure',
          tokenReplaced: true,
        },
      });
    }
  }

  async remove(ctx: TenantContext, serverId: string): Promise<void> {
    const tenantId = ctx.scope.tenantId;
    const row = await this.d.writes.require(tenantId, serverId);
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

  // --- metrics -----------------------------------------------------------------------------

  async metrics(
    ctx: TenantContext,
    serverId: string,
    hours: number,
    kind: ServerMetrics['kind'],
  ): Promise<ServerMetrics> {
    const row = await this.d.writes.require(ctx.scope.tenantId, serverId);
    const now = this.d.clock.now();
    const rows = await this.d.repo.metricsSince(this.d.db, row.tenant_id, row.id, kind, windowStart(now, hours));
    return { serverId: row.id, kind, hours, ...bucketize(rows, now, hours) };
  }
}
