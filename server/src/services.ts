// Composition root: every repository and service is built here, once, from config and deps.
import type { Config } from './config/config';
import type { Db } from './db/database';
import type { Clock } from './lib/clock';
import { loadMasterKeyring } from './lib/crypto/master-keyring';
import { newId } from './lib/ids';
import type { Logger } from './lib/logger';
import type { Metrics } from './lib/metrics';
import { AuditService } from './modules/audit/audit.service';
import { AuditKeyring } from './modules/audit/audit-keys';
import { AuthService } from './modules/auth/auth.service';
import { ProxmoxConsoleUpstream, type ServerConnector } from './modules/consoles/console-upstream';
import { ConsolesService } from './modules/consoles/consoles.service';
import { ExplorerService } from './modules/explorer/explorer.service';
import { type InventoryOptions, InventoryService } from './modules/inventory/inventory.service';
import { serverDirectory } from './modules/inventory/server-directory';
import { MembersService } from './modules/members/members.service';
import { NotificationsService } from './modules/notifications/notifications.service';
import { createServersModule, type ServersModuleOptions } from './modules/servers/servers.module';
import { TenantsService } from './modules/tenants/tenants.service';
import { UsersRepo } from './modules/users/users.repo';
import { UsersService } from './modules/users/users.service';
import type { EventHub } from './realtime/hub';

export interface ServiceDeps {
  database: Db;
  hub: EventHub;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** This process among several (console rows record which instance relays them). */
  instanceId?: string;
  /** Substitutes for the servers module (keyring, Proxmox client, health scheduler timings). */
  servers?: ServersModuleOptions;
  /** Inventory timings (list cache, task polling). */
  inventory?: Partial<InventoryOptions>;
}

export function createServices(config: Config, deps: ServiceDeps) {
  const { db, dialect } = deps.database;
  const usersRepo = new UsersRepo();
  // The master keyring wraps the tenant data keys and keys the audit chain.
  const keyring = deps.servers?.keyring ?? loadMasterKeyring(config, (msg) => deps.log.warn(msg));
  const audit = new AuditService(db, dialect, deps.clock, new AuditKeyring(db, keyring));
  const auth = new AuthService(db, usersRepo, audit, deps.hub, deps.clock, config, deps.log, dialect);
  const tenants = new TenantsService(db, audit, deps.hub, deps.clock);
  const members = new MembersService(db, usersRepo, auth, audit, deps.hub, deps.clock);
  const users = new UsersService(db, usersRepo, auth, audit, deps.hub, deps.clock);
  const notifications = new NotificationsService(db, (id) => tenants.settings(id), deps.clock, deps.log);
  const serversModule = createServersModule(
    config,
    {
      database: deps.database,
      hub: deps.hub,
      clock: deps.clock,
      log: deps.log,
      tenants,
      audit,
      instanceId: deps.instanceId ?? 'single',
    },
    { ...deps.servers, keyring },
  );
  const servers = serversModule.servers;
  const connectServer: ServerConnector = (tenantId, serverId) => servers.connect(tenantId, serverId);
  const directory = serverDirectory(db, connectServer, () => deps.clock.now());
  const inventory = new InventoryService(
    {
      servers: directory,
      settings: (id) => tenants.settings(id),
      audit,
      hub: deps.hub,
      clock: deps.clock,
      log: deps.log,
    },
    deps.inventory,
  );
  tenants.guestStatsSource = inventory;
  const explorer = new ExplorerService({ servers: directory, audit });
  const consoles = new ConsolesService({
    db,
    dialect,
    audit,
    hub: deps.hub,
    clock: deps.clock,
    log: deps.log,
    tenants,
    usersRepo,
    allowedOrigins: config.allowedOrigins,
    instanceId: deps.instanceId ?? newId(),
    metrics: deps.metrics,
    ticketBudget: config.consoleTickets,
    // Consoles find a guest's node through the inventory's cached list (re-resolved on a miss,
    // and read afresh when vncproxy says the guest is not on that node any more).
    upstream: new ProxmoxConsoleUpstream(
      connectServer,
      (_conn, g) => inventory.locateGuest(g.tenantId, g.serverId, g.vmid),
      (_conn, g) => inventory.relocateGuest(g.tenantId, g.serverId, g.vmid),
    ),
  });
  return {
    audit,
    auth,
    tenants,
    members,
    users,
    usersRepo,
    notifications,
    consoles,
    servers,
    serversModule,
    inventory,
    explorer,
    metrics: deps.metrics,
  };
}

export type Services = ReturnType<typeof createServices>;
