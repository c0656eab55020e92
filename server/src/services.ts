// Composition root: every repository and service is built here, once, from config and deps, in
// one direction — each is constructed from what was built before it, nothing is wired afterwards.
import type { Config } from './config/config';
import type { Db } from './db/database';
import type { Clock } from './lib/clock';
import { loadMasterKeyring } from './lib/crypto/master-keyring';
import { newId } from './lib/ids';
import type { Logger } from './lib/logger';
import type { Metrics } from './lib/metrics';
import { AlertOutbox, ServerAlerts } from './modules/alerts/alert-events';
import { AlertsModule } from './modules/alerts/alerts.module';
import { AuditService } from './modules/audit/audit.service';
import { AuditForwarder } from './modules/audit/audit-forwarder';
import { AuditKeyring } from './modules/audit/audit-keys';
import { AccountSecurityService } from './modules/auth/account-security.service';
import { ApiTokensService } from './modules/auth/api-tokens.service';
import { AuthService } from './modules/auth/auth.service';
import { InvitationsService } from './modules/auth/invitations.service';
import { PasskeysService } from './modules/auth/passkeys.service';
import { SecondFactorsRepo } from './modules/auth/second-factors.repo';
import { SecondFactorsService } from './modules/auth/second-factors.service';
import { IdentityProviders } from './modules/auth/sso/identity-providers';
import { SsoService } from './modules/auth/sso/sso.service';
import {
  type ConsoleUpstream,
  ProxmoxConsoleUpstream,
  type ServerConnector,
} from './modules/consoles/console-upstream';
import { ConsolesService } from './modules/consoles/consoles.service';
import { RelayPool } from './modules/consoles/relay-pool';
import { ExplorerService } from './modules/explorer/explorer.service';
import { BulkActionsService } from './modules/inventory/bulk-actions.service';
import { GuestBackupsService } from './modules/inventory/guest-backups.service';
import { GuestDetailsService } from './modules/inventory/guest-details.service';
import { GuestListService } from './modules/inventory/guest-list.service';
import { GuestLocator } from './modules/inventory/guest-locator';
import { GuestSnapshotsService } from './modules/inventory/guest-snapshots.service';
import { type InventoryOptions, InventoryService, inventoryOptions } from './modules/inventory/inventory.service';
import { MembersService } from './modules/members/members.service';
import { MembershipReader } from './modules/members/membership-reader';
import { NotificationsService, NotifyingHub } from './modules/notifications/notifications.service';
import { FileRecordingStorage } from './modules/recordings/recording-storage';
import { RecordingsService } from './modules/recordings/recordings.service';
import { createServersModule, type ServersModuleOptions } from './modules/servers/servers.module';
import { ShareStanding } from './modules/shares/share-standing';
import { SharesService } from './modules/shares/shares.service';
import { TenantSettingsReader } from './modules/tenants/settings-reader';
import { TenantsRepo } from './modules/tenants/tenants.repo';
import { TenantsService } from './modules/tenants/tenants.service';
import { UserDirectory } from './modules/users/user-directory';
import { UsersService } from './modules/users/users.service';
import type { EventHub } from './realtime/hub';

export interface ServiceDeps {
  database: Db;
  /** The hub events travel on (memory or PostgreSQL); services publish through a notifying one. */
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
  /** Tests observe (or break) what consoles do with Proxmox by wrapping the real upstream. */
  consoleUpstream?: (real: ConsoleUpstream) => ConsoleUpstream;
}

export function createServices(config: Config, deps: ServiceDeps) {
  const { db, dialect } = deps.database;
  const { clock, log } = deps;
  // Read ports other modules share: users, tenant settings, memberships.
  const users = new UserDirectory(db);
  const tenantsRepo = new TenantsRepo();
  const settings = new TenantSettingsReader(db, tenantsRepo, clock);
  const memberships = new MembershipReader(db);
  // Publishing a notable event also records its notification (in the publishing instance).
  const notifications = new NotificationsService(db, settings, users, clock, log);
  const hub = new NotifyingHub(deps.hub, notifications, log);
  // The master keyring wraps the tenant data keys and keys the audit chain.
  const keyring = deps.servers?.keyring ?? loadMasterKeyring(config, (msg) => log.warn(msg));
  // Guest actions, console opens, member changes and sign-ins reach the alert outbox from their
  // audit rows, in the same transaction.
  const alertOutbox = new AlertOutbox(clock);
  const audit = new AuditService(db, dialect, clock, new AuditKeyring(db, keyring), alertOutbox.fromAudit);
  const tenants = new TenantsService(db, memberships, settings, audit, hub, clock, tenantsRepo);
  const passkeys = new PasskeysService({
    db,
    clock,
    audit,
    allowedOrigins: config.allowedOrigins,
    factorsRepo: new SecondFactorsRepo(),
  });
  const factors = new SecondFactorsService(db, keyring, clock, audit, passkeys);
  const auth = new AuthService(db, users, audit, hub, clock, config, log, dialect, tenants, factors);
  const accountSecurity = new AccountSecurityService({ db, auth, factors, users, audit, clock });
  const invitations = new InvitationsService({
    db,
    auth,
    users,
    tenants,
    audit,
    hub,
    clock,
    publicUrl: config.publicUrl,
  });
  const apiTokens = new ApiTokensService({ db, creds: auth.creds, audit, hub, clock });
  const members = new MembersService(db, users, invitations, audit, hub, clock);
  const identityProviders = new IdentityProviders({ db, config, keyring, audit, clock });
  const sso = new SsoService({
    db,
    config,
    registry: identityProviders,
    auth,
    factors,
    users,
    members,
    tenants,
    audit,
    clock,
    log,
  });
  const usersAdmin = new UsersService(db, auth, audit, hub, clock);
  const serversModule = createServersModule(
    config,
    { database: deps.database, hub, clock, log, tenants, settings, audit, instanceId: deps.instanceId ?? 'single' },
    { ...deps.servers, keyring },
  );
  const servers = serversModule.servers;
  const directory = serversModule.directory;
  const connectServer: ServerConnector = (tenantId, serverId) => directory.connect(tenantId, serverId);
  const inventoryOpts = inventoryOptions(deps.inventory);
  const guestLocator = new GuestLocator(
    { servers: directory, clock, log },
    inventoryOpts.cache,
    inventoryOpts.missRefreshMs,
  );
  const guestList = new GuestListService({ servers: directory, locator: guestLocator, settings, clock });
  const inventory = new InventoryService(
    { servers: directory, locator: guestLocator, settings, audit, hub, clock, log },
    inventoryOpts.tasks,
  );
  const snapshots = new GuestSnapshotsService({ locator: guestLocator, tasks: inventory.tasks, audit });
  const bulkActions = new BulkActionsService({ inventory, audit });
  const guestDetails = new GuestDetailsService({ locator: guestLocator });
  const backups = new GuestBackupsService({ locator: guestLocator, tasks: inventory.tasks, settings, audit });
  const explorer = new ExplorerService({ servers: directory, audit });
  // Consoles find a guest's node through the inventory's cached list (re-resolved on a miss,
  // and read afresh when vncproxy says the guest is not on that node any more).
  const upstream = new ProxmoxConsoleUpstream(
    connectServer,
    (_conn, g) => guestLocator.locateGuest(g.tenantId, g.serverId, g.vmid),
    (_conn, g) => guestLocator.locateGuest(g.tenantId, g.serverId, g.vmid, true),
  );
  // Share links: whether one stands is asked by consoles (upgrades, re-checks); the links
  // themselves are made and opened through the consoles' tickets.
  const shareStanding = new ShareStanding({ db, clock, settings, auth });
  // Recordings: the relay writes the file; this module decides, lists, plays and cleans up.
  const recordings = new RecordingsService({
    db,
    dialect,
    clock,
    log,
    audit,
    settings,
    vault: serversModule.vault,
    storage: new FileRecordingStorage(config.recordings.dir),
    limits: config.recordings,
    instanceId: deps.instanceId ?? newId(),
    metrics: deps.metrics,
  });
  const consoles = new ConsolesService({
    recordings,
    shares: shareStanding,
    db,
    dialect,
    audit,
    hub,
    clock,
    log,
    scopes: tenants,
    auth,
    settings,
    allowedOrigins: config.allowedOrigins,
    instanceId: deps.instanceId ?? newId(),
    metrics: deps.metrics,
    ticketBudget: config.consoleTickets,
    upstream: deps.consoleUpstream ? deps.consoleUpstream(upstream) : upstream,
    relayPool:
      config.relayWorkers > 0
        ? new RelayPool({ size: config.relayWorkers, init: { allowedTargets: config.allowedTargets }, log })
        : undefined,
  });
  const shares = new SharesService({
    db,
    standing: shareStanding,
    consoles,
    tenants,
    settings,
    audit,
    hub,
    clock,
    publicUrl: config.publicUrl,
  });
  const alerts = new AlertsModule({
    db,
    dialect,
    config,
    clock,
    log,
    keyring,
    audit,
    auth,
    settings,
    users,
    servers: directory,
    serverAlerts: new ServerAlerts({ db, dialect, clock, settings, servers: directory, outbox: alertOutbox }),
    instanceId: deps.instanceId ?? newId(),
    metrics: deps.metrics,
  });
  const auditForwarder = new AuditForwarder({
    db,
    repo: audit.repository,
    audit,
    keyring,
    clock,
    log,
    config,
    instanceId: deps.instanceId ?? newId(),
  });
  return {
    hub,
    audit,
    auditForwarder,
    alerts,
    auth,
    factors,
    passkeys,
    accountSecurity,
    sso,
    identityProviders,
    invitations,
    apiTokens,
    tenants,
    settings,
    members,
    users: usersAdmin,
    userDirectory: users,
    notifications,
    consoles,
    recordings,
    shares,
    servers,
    serverDiagnostics: serversModule.diagnostics,
    serverImport: serversModule.imports,
    serverBootstrap: serversModule.bootstrap,
    serverDirectory: serversModule.directory,
    serversModule,
    inventory,
    guestList,
    guestLocator,
    snapshots,
    bulkActions,
    guestDetails,
    backups,
    explorer,
    metrics: deps.metrics,
  };
}

export type Services = ReturnType<typeof createServices>;
