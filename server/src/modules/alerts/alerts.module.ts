// Outbound alerts wired together: the outbox writer (events), the dispatcher and sender, the
// channels service, and the loop that runs them — once across instances (a lease), every few
// seconds: reconcile server alerts, dispatch the outbox, send what is due, prune old rows.
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import type { MasterKeyring } from '../../lib/crypto/master-keyring';
import { LeasedLoop } from '../../lib/leased-loop';
import type { Logger } from '../../lib/logger';
import type { Metrics } from '../../lib/metrics';
import type { AuditService } from '../audit/audit.service';
import type { AuthService } from '../auth/auth.service';
import type { ServerDirectory } from '../servers/server-directory';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import type { UserDirectory } from '../users/user-directory';
import type { ServerAlerts } from './alert-events';
import { AlertSender } from './alert-sender';
import { Mailer } from './alert-transports';
import { AlertsRepo } from './alerts.repo';
import { ChannelsService } from './channels.service';

const TICK_MS = 3_000;
const KEEP_MS = 30 * 86_400_000;

export interface AlertsModuleDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  config: Pick<Config, 'smtp' | 'allowedTargets'>;
  clock: Clock;
  log: Logger;
  keyring: MasterKeyring;
  audit: AuditService;
  auth: Pick<AuthService, 'userMay'>;
  settings: TenantSettingsReader;
  users: Pick<UserDirectory, 'findById'>;
  servers: Pick<ServerDirectory, 'find'>;
  serverAlerts: ServerAlerts;
  instanceId: string;
  metrics: Pick<Metrics, 'alertDeliveries'>;
}

export class AlertsModule {
  readonly mailer: Mailer;
  readonly sender: AlertSender;
  readonly channels: ChannelsService;
  private readonly loop: LeasedLoop;
  private lastPrune = 0;

  constructor(private readonly d: AlertsModuleDeps) {
    this.mailer = new Mailer(d.config.smtp);
    this.sender = new AlertSender({
      db: d.db,
      clock: d.clock,
      log: d.log,
      keyring: d.keyring,
      mailer: this.mailer,
      settings: d.settings,
      users: d.users,
      auth: d.auth,
      config: d.config,
      onAttempt: (channel, outcome) => d.metrics.alertDeliveries.labels(channel, outcome).inc(),
    });
    this.channels = new ChannelsService({
      db: d.db,
      clock: d.clock,
      keyring: d.keyring,
      audit: d.audit,
      mailer: this.mailer,
      sender: this.sender,
      servers: d.servers,
    });
    this.loop = new LeasedLoop(d.db, d.log, { name: 'alerts', holder: d.instanceId, everyMs: TICK_MS }, () =>
      this.runOnce(),
    );
  }

  /** One round: server alerts, outbox, sending (tests call it with a moved clock). */
  async runOnce(): Promise<void> {
    await this.d.serverAlerts.reconcile();
    await this.sender.dispatch();
    await this.sender.send();
    const now = this.d.clock.now();
    if (now - this.lastPrune > 3_600_000) {
      this.lastPrune = now;
      await new AlertsRepo().pruneOutbox(this.d.db, now - KEEP_MS);
    }
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.mailer.close();
  }
}
