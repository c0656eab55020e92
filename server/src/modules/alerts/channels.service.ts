// A tenant's alert channels (tenant admins): make, change, remove, test, their recent
// deliveries; per-server mutes; and each user's own alert e-mails. A webhook's secret is sealed
// with the master key and never returned; its URL is shown masked (chat services put the
// capability in it), and a changed URL must come with its secret again (or none): a stored
// secret never follows a changed endpoint.

import type {
  AlertMute,
  CreateChannelBody,
  Delivery,
  NotificationChannel,
  PersonalAlerts,
  QuietHours,
  UpdateChannelBody,
} from '@common/schemas/alerts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Executor } from '../../db/tx';
import type { AuthedContext, TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { type MasterKeyring, resealUnder, sealWithMaster } from '../../lib/crypto/master-keyring';
import { newId } from '../../lib/ids';
import type { AuditService } from '../audit/audit.service';
import type { ServerDirectory } from '../servers/server-directory';
import { alertLanguage } from './alert-messages';
import { maskUrl, requireSecretForNewUrl } from './alert-rules';
import { type AlertSender, type ChannelTarget, channelSecretContext } from './alert-sender';
import { errorText, type Mailer } from './alert-transports';
import { AlertsRepo, type ChannelRow } from './alerts.repo';

const MAX_CHANNELS = 50;
const MAX_MUTE_MS = 30 * 86_400_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export class ChannelsService {
  private readonly repo = new AlertsRepo();

  constructor(
    private readonly d: {
      db: Kysely<Database>;
      clock: Clock;
      keyring: MasterKeyring;
      audit: AuditService;
      mailer: Mailer;
      sender: AlertSender;
      servers: Pick<ServerDirectory, 'find'>;
    },
  ) {}

  private view(row: ChannelRow, pending: number): NotificationChannel {
    const target = JSON.parse(row.target) as ChannelTarget;
    return {
      id: row.id,
      name: row.name,
      type: row.type === 'email' ? 'email' : 'webhook',
      to: row.type === 'email' ? (target.to ?? []) : null,
      url: row.type === 'webhook' ? maskUrl(target.url ?? '') : null,
      preset: row.type === 'webhook' ? (target.preset ?? 'json') : null,
      hasSecret: row.secret_sealed !== null,
      events: JSON.parse(row.events) as NotificationChannel['events'],
      enabled: row.enabled === 1,
      maxPerHour: row.max_per_hour,
      quietHours: row.quiet_hours ? (JSON.parse(row.quiet_hours) as QuietHours) : null,
      language: alertLanguage(row.language),
      createdAt: iso(row.created_at) as string,
      updatedAt: iso(row.updated_at) as string,
      health: {
        lastSuccessAt: iso(row.last_success_at),
        lastFailureAt: iso(row.last_failure_at),
        lastError: row.last_error,
        failingSince: iso(row.failing_since),
        pending,
      },
    };
  }

  private async mine(ctx: TenantContext, channelId: string): Promise<ChannelRow> {
    const row = await this.repo.findChannel(this.d.db, channelId);
    if (!row || row.tenant_id !== ctx.scope.tenantId) throw new AppError('channel.not_found', 'No such channel');
    return row;
  }

  private needsMail(type: string): void {
    if (type === 'email' && !this.d.mailer.configured) {
      throw new AppError(
        'alerts.smtp_unconfigured',
        'This server sends no mail: its operator has not set NEXUS_SMTP_URL',
      );
    }
  }

  private seal(channelId: string, secret: string | null | undefined): string | null {
    return secret ? sealWithMaster(this.d.keyring, Buffer.from(secret, 'utf8'), channelSecretContext(channelId)) : null;
  }

  async list(ctx: TenantContext): Promise<{ channels: NotificationChannel[] }> {
    const rows = await this.repo.listChannels(this.d.db, ctx.scope.tenantId);
    const pending = await this.repo.pendingCounts(this.d.db, ctx.scope.tenantId);
    return { channels: rows.map((r) => this.view(r, pending.get(r.id) ?? 0)) };
  }

  async get(ctx: TenantContext, channelId: string): Promise<NotificationChannel> {
    const row = await this.mine(ctx, channelId);
    return this.view(row, (await this.repo.pendingCounts(this.d.db, ctx.scope.tenantId)).get(row.id) ?? 0);
  }

  async create(ctx: TenantContext, body: CreateChannelBody): Promise<NotificationChannel> {
    this.needsMail(body.type);
    const tenantId = ctx.scope.tenantId;
    const id = newId();
    const now = this.d.clock.now();
    const target: ChannelTarget = body.type === 'email' ? { to: body.to } : { url: body.url, preset: body.preset };
    const row: ChannelRow = {
      id,
      tenant_id: tenantId,
      name: body.name,
      type: body.type,
      target: JSON.stringify(target),
      secret_sealed: body.type === 'webhook' ? this.seal(id, body.secret) : null,
      events: JSON.stringify(body.events),
      enabled: body.enabled ? 1 : 0,
      max_per_hour: body.maxPerHour,
      quiet_hours: body.quietHours ? JSON.stringify(body.quietHours) : null,
      language: body.language === 'en' ? null : body.language,
      created_at: now,
      updated_at: now,
      last_success_at: null,
      last_failure_at: null,
      last_error: null,
      failing_since: null,
    };
    await this.d.db.transaction().execute(async (trx) => {
      if ((await this.repo.listChannels(trx, tenantId)).length >= MAX_CHANNELS) {
        throw new AppError('http.bad_request', `A tenant has at most ${MAX_CHANNELS} channels`);
      }
      await this.repo.insertChannel(trx, row);
      await this.audit(trx, ctx, 'channel.created', row, { events: body.events });
    });
    return this.view(row, 0);
  }

  async update(ctx: TenantContext, channelId: string, body: UpdateChannelBody): Promise<NotificationChannel> {
    const row = await this.mine(ctx, channelId);
    const target = JSON.parse(row.target) as ChannelTarget;
    const email = row.type === 'email';
    if (email && (body.url !== undefined || body.secret !== undefined || body.preset !== undefined)) {
      throw new AppError('http.bad_request', 'An e-mail channel has no URL, secret or preset');
    }
    if (!email && body.to !== undefined) throw new AppError('http.bad_request', 'A webhook channel has no addresses');
    const urlChanged = body.url !== undefined && body.url !== target.url;
    requireSecretForNewUrl(urlChanged, body.secret !== undefined, row.secret_sealed !== null);
    const next: ChannelTarget = email
      ? { to: body.to ?? target.to ?? [] }
      : { url: body.url ?? target.url ?? '', preset: body.preset ?? target.preset ?? 'json' };
    const patch = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      target: JSON.stringify(next),
      ...(body.secret !== undefined ? { secret_sealed: this.seal(row.id, body.secret) } : {}),
      ...(body.events !== undefined ? { events: JSON.stringify(body.events) } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled ? 1 : 0 } : {}),
      ...(body.maxPerHour !== undefined ? { max_per_hour: body.maxPerHour } : {}),
      ...(body.quietHours !== undefined
        ? { quiet_hours: body.quietHours ? JSON.stringify(body.quietHours) : null }
        : {}),
      ...(body.language !== undefined ? { language: body.language === 'en' ? null : body.language } : {}),
      // A new destination starts with a clean record.
      ...(urlChanged || body.to !== undefined ? { failing_since: null, last_error: null } : {}),
      updated_at: this.d.clock.now(),
    };
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.updateChannel(trx, row.id, patch);
      await this.audit(
        trx,
        ctx,
        'channel.updated',
        { ...row, ...patch },
        {
          changed: Object.keys(body).filter((k) => k !== 'secret'),
          secretChanged: body.secret !== undefined,
        },
      );
    });
    return this.get(ctx, row.id);
  }

  async remove(ctx: TenantContext, channelId: string): Promise<void> {
    const row = await this.mine(ctx, channelId);
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.deleteChannel(trx, ctx.scope.tenantId, row.id);
      await this.audit(trx, ctx, 'channel.deleted', row, {});
    });
  }

  /** Sends a test message now and says how it went (not queued, not retried). */
  async test(ctx: TenantContext, channelId: string) {
    const row = await this.mine(ctx, channelId);
    this.needsMail(row.type);
    const started = performance.now();
    let error: string | null = null;
    try {
      await this.d.sender.transmit(row, {
        event: 'test',
        tenantId: row.tenant_id,
        occurredAt: new Date(this.d.clock.now()).toISOString(),
        data: { channelId: row.id, channelName: row.name, requestedBy: ctx.actor.email },
      });
    } catch (err) {
      error = errorText(err);
    }
    await this.d.audit.recordAlone(ctx.audit, {
      tenantId: row.tenant_id,
      action: 'channel.tested',
      targetType: 'notification_channel',
      targetId: row.id,
      result: error ? 'failure' : 'success',
      details: { name: row.name, type: row.type, error },
    });
    return { ok: error === null, error, durationMs: Math.round(performance.now() - started) };
  }

  async deliveries(ctx: TenantContext, channelId: string): Promise<{ deliveries: Delivery[] }> {
    const row = await this.mine(ctx, channelId);
    const rows = await this.repo.recentDeliveries(this.d.db, row.id, 50);
    return {
      deliveries: rows.map((d) => ({
        id: d.id,
        event: d.event,
        summary: d.summary,
        state: d.state as Delivery['state'],
        attempts: d.attempts,
        createdAt: iso(d.created_at) as string,
        sentAt: iso(d.sent_at),
        nextAttemptAt: d.state === 'pending' ? iso(d.next_attempt_at) : null,
        lastError: d.last_error,
      })),
    };
  }

  private async audit(
    trx: Parameters<AuditService['record']>[0],
    ctx: TenantContext,
    action: string,
    row: Pick<ChannelRow, 'id' | 'name' | 'type' | 'target'>,
    more: Record<string, unknown>,
  ): Promise<void> {
    const target = JSON.parse(row.target) as ChannelTarget;
    await this.d.audit.record(trx, ctx.audit, {
      tenantId: ctx.scope.tenantId,
      action,
      targetType: 'notification_channel',
      targetId: row.id,
      details: {
        name: row.name,
        type: row.type,
        ...(row.type === 'email' ? { to: target.to } : { url: maskUrl(target.url ?? '') }),
        ...more,
      },
    });
  }

  // Mutes ------------------------------------------------------------------------------------

  async mutes(ctx: TenantContext): Promise<{ mutes: AlertMute[] }> {
    const rows = await this.repo.mutes(this.d.db, ctx.scope.tenantId, this.d.clock.now());
    const mutes: AlertMute[] = [];
    for (const r of rows) {
      const server = await this.d.servers.find(ctx.scope.tenantId, r.server_id);
      mutes.push({
        serverId: r.server_id,
        serverName: server?.name ?? null,
        until: iso(r.until) as string,
        reason: r.reason,
        createdBy: r.created_by,
      });
    }
    return { mutes };
  }

  async mute(ctx: TenantContext, serverId: string, body: { until: string; reason?: string | null | undefined }) {
    const server = await this.d.servers.find(ctx.scope.tenantId, serverId);
    if (!server) throw new AppError('server.not_found', 'Server not found');
    const now = this.d.clock.now();
    const until = Date.parse(body.until);
    if (until <= now || until > now + MAX_MUTE_MS) {
      throw new AppError('http.bad_request', 'A mute ends in the future, at most 30 days from now');
    }
    const reason = body.reason?.trim() || null;
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.putMute(trx, {
        tenant_id: ctx.scope.tenantId,
        server_id: serverId,
        until,
        reason,
        created_by: ctx.actor.userId,
        created_at: now,
      });
      await this.d.audit.record(trx, ctx.audit, {
        tenantId: ctx.scope.tenantId,
        action: 'alerts.server_muted',
        targetType: 'server',
        targetId: serverId,
        details: { name: server.name, until: body.until, reason },
      });
    });
    return { serverId, serverName: server.name, until: iso(until) as string, reason, createdBy: ctx.actor.userId };
  }

  async unmute(ctx: TenantContext, serverId: string): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.repo.deleteMute(trx, ctx.scope.tenantId, serverId))) {
        throw new AppError('http.not_found', 'This server is not muted');
      }
      await this.d.audit.record(trx, ctx.audit, {
        tenantId: ctx.scope.tenantId,
        action: 'alerts.server_unmuted',
        targetType: 'server',
        targetId: serverId,
      });
    });
  }

  // A user's own alerts ----------------------------------------------------------------------

  async personal(ctx: AuthedContext): Promise<PersonalAlerts> {
    const row = await this.repo.prefs(this.d.db, ctx.actor.userId);
    return { guestPower: row?.guest_power === 1, signIn: row?.sign_in === 1 };
  }

  async setPersonal(ctx: AuthedContext, patch: Partial<PersonalAlerts>): Promise<PersonalAlerts> {
    const current = await this.personal(ctx);
    const next = { ...current, ...patch };
    if ((next.guestPower || next.signIn) && !this.d.mailer.configured) {
      throw new AppError(
        'alerts.smtp_unconfigured',
        'This server sends no mail: its operator has not set NEXUS_SMTP_URL',
      );
    }
    await this.repo.putPrefs(this.d.db, ctx.actor.userId, next.guestPower, next.signIn, this.d.clock.now());
    return next;
  }
}

/** Master-key rotation (in its transaction): every channel secret sealed again under the new key. */
export async function resealChannelSecrets(
  trx: Executor,
  keyring: Pick<MasterKeyring, 'find'>,
  target: { id: string; key: Buffer },
): Promise<number> {
  const repo = new AlertsRepo();
  let n = 0;
  for (const row of await repo.channelsWithSecrets(trx)) {
    const resealed = resealUnder(keyring, target, row.secret_sealed ?? '', channelSecretContext(row.id));
    if (resealed === null) continue;
    await repo.updateChannel(trx, row.id, { secret_sealed: resealed });
    n++;
  }
  return n;
}
