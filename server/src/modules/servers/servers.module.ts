// Builds the servers module once (composition root helper): master keyring, credential vault,
// Proxmox client, health scheduler, api-metrics recorder and the service, wired together.
import type { Config } from '../../config/config';
import type { Db } from '../../db/database';
import { type Clock, systemClock } from '../../lib/clock';
import { loadMasterKeyring, type MasterKeyring } from '../../lib/crypto/master-keyring';
import { Lease } from '../../lib/lease';
import type { Logger } from '../../lib/logger';
import { createProxmoxClient, type ProxmoxClient, type Resolver } from '../../proxmox';
import type { EventHub } from '../../realtime/hub';
import type { AuditService } from '../audit/audit.service';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import type { TenantsService } from '../tenants/tenants.service';
import { ApiMetricsRecorder } from './api-metrics';
import { CredentialVault } from './credential-vault';
import { HealthScheduler, type HealthSchedulerOptions } from './health-scheduler';
import { ServerBootstrap } from './server-bootstrap';
import { ServerConnector, tenantTargets } from './server-connector';
import { ServerDiagnostics } from './server-diagnostics';
import { serverDirectory } from './server-directory';
import { ServerImportService } from './server-import.service';
import { ServerWrites } from './server-writes';
import { ServersRepo } from './servers.repo';
import { ServersService } from './servers.service';

/** What tests (and main) may substitute. */
export interface ServersModuleOptions {
  keyring?: MasterKeyring;
  proxmox?: ProxmoxClient;
  /** Host name resolution for every dial (tests map names to loopback addresses). */
  resolve?: Resolver;
  health?: Partial<HealthSchedulerOptions>;
  /** Timings of the lease that makes one instance run the scheduler (see lib/lease.ts). */
  lease?: { ttlMs: number; renewMs: number };
}

/** Takeover after a holder dies: at most ttl + renew, well within two health intervals (≥ 5 s each). */
export const SCHEDULER_LEASE = { ttlMs: 6_000, renewMs: 2_000 };

export function createServersModule(
  config: Pick<Config, 'masterKey' | 'previousMasterKeys' | 'dataDir' | 'metricsRetentionDays' | 'allowedTargets'>,
  deps: {
    database: Db;
    hub: EventHub;
    clock: Clock;
    log: Logger;
    tenants: TenantsService;
    settings: TenantSettingsReader;
    audit: AuditService;
    instanceId: string;
  },
  opts: ServersModuleOptions = {},
) {
  const { db, dialect } = deps.database;
  const keyring = opts.keyring ?? loadMasterKeyring(config, (msg) => deps.log.warn(msg));
  const proxmox = opts.proxmox ?? createProxmoxClient({ allowedTargets: config.allowedTargets, resolve: opts.resolve });
  const repo = new ServersRepo();
  const vault = new CredentialVault(db, keyring, deps.clock, deps.log);
  const connector = new ServerConnector(vault, proxmox, async (tenantId) =>
    tenantTargets((await deps.settings.get(tenantId)).allowedTargets),
  );
  // With several instances on one database, only the lease holder runs health checks. Leases
  // compare wall-clock times across processes, so they use the system clock, not an injected one.
  const lease = new Lease(db, systemClock, deps.log, {
    name: 'health-scheduler',
    holder: deps.instanceId,
    ...SCHEDULER_LEASE,
    ...opts.lease,
  });
  const health = new HealthScheduler(
    {
      db,
      dialect,
      repo,
      connector,
      settings: (tenantId) => deps.settings.get(tenantId),
      audit: deps.audit,
      hub: deps.hub,
      clock: deps.clock,
      log: deps.log,
    },
    { retentionDays: config.metricsRetentionDays, shouldRun: () => lease.held(), ...opts.health },
  );
  const apiMetrics = new ApiMetricsRecorder(db, repo, deps.hub, deps.clock, deps.log);
  const unsubscribe = proxmox.onCall((event) => {
    apiMetrics.record(event);
    if (event.tlsMismatch) {
      health.onTlsMismatch(event).catch((err) => deps.log.warn({ err }, 'could not record a TLS pin mismatch'));
    }
  });
  const writes = new ServerWrites({ db, repo, vault, audit: deps.audit, hub: deps.hub, clock: deps.clock });
  const common = { db, repo, writes, audit: deps.audit };
  const diagnostics = new ServerDiagnostics({ ...common, connector, health, settings: deps.settings, log: deps.log });
  const servers = new ServersService({
    ...common,
    diagnostics,
    dialect,
    vault,
    connector,
    health,
    settings: deps.settings,
    hub: deps.hub,
    clock: deps.clock,
  });
  const imports = new ServerImportService({ ...common, dialect, settings: deps.settings });
  /** What other modules read of servers, and how they connect to one. */
  const directory = serverDirectory(db, repo, connector, () => deps.clock.now());
  const bootstrap = new ServerBootstrap({ ...common, dialect, connector, tenants: deps.tenants, log: deps.log });
  return {
    servers,
    diagnostics,
    imports,
    bootstrap,
    directory,
    proxmox,
    health,
    vault,
    keyring,
    apiMetrics,
    /** Scheduler, key warm-up: started by NexusApp.startBackground(). */
    lease,
    start(): void {
      lease.start();
      health.start();
      vault.warm().catch((err) => deps.log.error({ err }, 'could not unwrap the tenant data keys'));
    },
    /** Before the database closes. */
    async stop(): Promise<void> {
      unsubscribe();
      await health.stop();
      await lease.stop();
      await apiMetrics.close();
    },
  };
}

export type ServersModule = ReturnType<typeof createServersModule>;
