// The default server from PROXMOX_HOST/PORT/API_TOKEN, registered on first start into a tenant
// `default` (created through the tenants service, like any other tenant), its certificate pinned
// on first use.
import { type CreateServerBody, normalizeHost, parseApiToken } from '@common/schemas/servers';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { isUniqueViolation, lockNamed } from '../../db/tx';
import { type AppError, isAppError } from '../../lib/app-error';
import type { Logger } from '../../lib/logger';
import { type AuditService, SYSTEM_CONTEXT } from '../audit/audit.service';
import { parseSettings } from '../tenants/settings';
import type { TenantsService } from '../tenants/tenants.service';
import type { ServerConnector } from './server-connector';
import type { ServerWrites } from './server-writes';
import type { ServersRepo } from './servers.repo';

export interface ServerBootstrapDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  repo: ServersRepo;
  writes: ServerWrites;
  connector: ServerConnector;
  tenants: TenantsService;
  audit: AuditService;
  log: Logger;
}

export const DEFAULT_TENANT = {
  name: 'Default',
  slug: 'default',
  description: 'Created for the server given in PROXMOX_HOST',
} as const;

export class ServerBootstrap {
  constructor(private readonly d: ServerBootstrapDeps) {}

  /**
   * PROXMOX_HOST/PORT/API_TOKEN on first start: a tenant `default` and the server in it, its
   * certificate pinned on first use (one TLS handshake, nothing sent). When the handshake fails
   * the server is stored unpinned and shows tls_error until an admin pins it.
   */
  async ensureDefaultServer(def: { host: string; port: number; apiToken: string } | undefined): Promise<string | null> {
    if (!def) return null;
    const { db, repo, log, writes } = this.d;
    const token = parseApiToken(def.apiToken);
    const host = normalizeHost(def.host);
    if (!token || !host) {
      log.error('PROXMOX_HOST or PROXMOX_API_TOKEN is malformed (USER@REALM!TOKENID=SECRET): no default server');
      return null;
    }
    let tenantId = await this.d.tenants.idBySlug(DEFAULT_TENANT.slug);
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
      tenantId ??= await this.d.tenants.ensureSystemTenant(DEFAULT_TENANT, { source: 'PROXMOX_HOST' });
      const body: CreateServerBody = {
        name: host,
        host,
        port: def.port,
        apiToken: def.apiToken,
        tlsMode: 'pinned',
        tlsFingerprint: fingerprint,
      };
      const row = await writes.newRow(tenantId, body, parseSettings(null), null, { allowUnpinned: true });
      const tid = tenantId;
      await db.transaction().execute(async (trx) => {
        await lockNamed(trx, this.d.dialect, `servers:${tid}`);
        await writes.insertChecked(trx, row, Number.MAX_SAFE_INTEGER);
        await this.d.audit.record(trx, SYSTEM_CONTEXT, {
          tenantId: tid,
          action: 'server.created',
          targetType: 'server',
          targetId: row.id,
          details: { ...writes.auditDetails(row), source: 'PROXMOX_HOST', pinnedOnFirstUse: fingerprint !== null },
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
}
