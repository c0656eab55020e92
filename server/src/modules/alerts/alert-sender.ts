// From the outbox to people. `dispatch` turns each outbox event into deliveries — one per
// channel that wants it (none for a muted server; due at the end of a channel's quiet hours)
// and one per person who asked for it — in one transaction that also marks the event taken.
// `send` delivers each recipient's queue in order: the oldest first, a failure holds the rest
// (retried with back-off for at least a day), messages held by quiet hours or beyond the hourly
// limit are folded into one digest. Each delivery is claimed before it is sent and every attempt
// is recorded, so with several instances a message goes out once.

import { createHash } from 'node:crypto';
import { parseTargetList } from '@common/egress';
import { ALERT_EVENTS, type QuietHours, type WebhookPreset } from '@common/schemas/alerts';
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config';
import type { Database } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import { type MasterKeyring, openWithMaster } from '../../lib/crypto/master-keyring';
import { type EgressGuard, systemResolver } from '../../lib/egress';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import type { AuthService } from '../auth/auth.service';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import type { UserDirectory } from '../users/user-directory';
import { alertLanguage } from './alert-messages';
import { budget, describe, GIVE_UP_AFTER_MS, quietUntil, retryDelay } from './alert-rules';
import { type AlertPayload, errorText, type Mailer, postWebhook } from './alert-transports';
import { AlertsRepo, type ChannelRow, type DeliveryRow, type OutboxRow, type Recipient } from './alerts.repo';

const CLAIM_MS = 120_000;
const HOUR_MS = 3_600_000;

export const channelSecretContext = (channelId: string) => `alert-channel:${channelId}`;

const parse = <T>(text: string | null, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export interface ChannelTarget {
  to?: string[];
  url?: string;
  preset?: WebhookPreset;
}

export interface SenderDeps {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  keyring: MasterKeyring;
  mailer: Mailer;
  settings: TenantSettingsReader;
  users: Pick<UserDirectory, 'findById'>;
  auth: Pick<AuthService, 'userMay'>;
  /** Read at each dial (the operator's egress list). */
  config: Pick<Config, 'allowedTargets'>;
  random?: () => number;
  /** Counts attempts by outcome. */
  onAttempt?: (channel: 'email' | 'webhook' | 'personal', outcome: 'sent' | 'retry' | 'failed') => void;
}

export class AlertSender {
  private readonly repo = new AlertsRepo();

  constructor(private readonly d: SenderDeps) {}

  /** The egress policy a tenant's webhooks obey: the operator's list and the tenant's. */
  async egressFor(tenantId: string | null): Promise<EgressGuard> {
    const narrowed = tenantId ? (await this.d.settings.get(tenantId)).allowedTargets : null;
    const tenantRules = narrowed ? parseTargetList(narrowed.join(',')).rules : null;
    return {
      lists: tenantRules ? [this.d.config.allowedTargets, tenantRules] : [this.d.config.allowedTargets],
      resolve: systemResolver,
    };
  }

  /** Sends one payload to a channel now (deliveries and the channel's test button). */
  async transmit(channel: ChannelRow, payload: AlertPayload): Promise<void> {
    const target = parse<ChannelTarget>(channel.target, {});
    if (channel.type === 'email') {
      await this.d.mailer.send(target.to ?? [], describe(payload.event, payload.data, alertLanguage(channel.language)));
      return;
    }
    let secret: string | null = null;
    if (channel.secret_sealed) {
      const plain = openWithMaster(this.d.keyring, channel.secret_sealed, channelSecretContext(channel.id));
      if (!plain) throw new Error('the key that sealed this channel’s secret is gone: set the secret again');
      secret = plain.toString('utf8');
    }
    await postWebhook(
      { url: target.url ?? '', preset: target.preset ?? 'json', secret, language: alertLanguage(channel.language) },
      payload,
      await this.egressFor(channel.tenant_id),
    );
  }

  // Dispatching ------------------------------------------------------------------------------

  async dispatch(): Promise<number> {
    let n = 0;
    for (const row of await this.repo.undispatched(this.d.db, 100)) {
      const deliveries = await this.plan(row).catch((err: unknown) => {
        this.d.log.warn({ err, event: row.event }, 'could not plan alert deliveries');
        return null;
      });
      if (!deliveries) continue;
      await this.d.db.transaction().execute(async (trx) => {
        if (!(await this.repo.markDispatched(trx, row.id, this.d.clock.now()))) return;
        await this.repo.insertDeliveries(trx, deliveries);
        n += deliveries.length;
      });
    }
    return n;
  }

  private async plan(row: OutboxRow) {
    const data = parse<Record<string, unknown>>(row.data, {});
    const now = this.d.clock.now();
    const summary = describe(row.event, data).subject;
    const base = {
      outbox_id: row.id,
      tenant_id: row.tenant_id,
      event: row.event,
      summary,
      data: row.data,
      created_at: Number(row.occurred_at),
      state: 'pending',
      next_attempt_at: null,
      last_error: null,
      sent_at: null,
      claimed_until: null,
      digest_id: null,
    };
    const out: (typeof base & {
      id: string;
      channel_id: string | null;
      user_id: string | null;
      due_at: number;
      quiet: number;
    })[] = [];
    if (row.tenant_id && (ALERT_EVENTS as readonly string[]).includes(row.event)) {
      const serverId = typeof data.serverId === 'string' ? data.serverId : null;
      const muted =
        row.event.startsWith('server.') && serverId
          ? (await this.repo.mutedUntil(this.d.db, row.tenant_id, serverId, now)) !== null
          : false;
      if (!muted) {
        for (const c of await this.repo.listChannels(this.d.db, row.tenant_id)) {
          if (c.enabled !== 1 || !parse<string[]>(c.events, []).includes(row.event)) continue;
          const quiet = quietUntil(parse<QuietHours | null>(c.quiet_hours, null), now);
          out.push({
            ...base,
            // The digest repeats the summary: in the channel's language.
            summary: describe(row.event, data, alertLanguage(c.language)).subject,
            id: newId(),
            channel_id: c.id,
            user_id: null,
            due_at: quiet ?? now,
            quiet: quiet ? 1 : 0,
          });
        }
      }
    }
    for (const userId of await this.personalRecipients(row, data)) {
      out.push({ ...base, id: newId(), channel_id: null, user_id: userId, due_at: now, quiet: 0 });
    }
    return out;
  }

  /** People who asked to be mailed about this event. */
  private async personalRecipients(row: OutboxRow, data: Record<string, unknown>): Promise<string[]> {
    if (row.event === 'vm.action' && data.auditAction === 'vm.power' && row.tenant_id) {
      const { serverId, vmid, actorUserId } = data;
      if (typeof serverId !== 'string' || typeof vmid !== 'number') return [];
      const out: string[] = [];
      for (const userId of await this.repo.guestPowerSubscribers(this.d.db)) {
        if (userId === actorUserId) continue;
        if (await this.d.auth.userMay(userId, row.tenant_id, 'vm:read', { serverId, vmid })) out.push(userId);
      }
      return out;
    }
    if (row.event === 'account.sign_in' && typeof data.userId === 'string') {
      const device = createHash('sha256')
        .update(`${String(data.userAgent ?? '')}\n${String(data.ip ?? '')}`)
        .digest('hex');
      const seen = await this.repo.seeDevice(this.d.db, data.userId, device, Number(row.occurred_at));
      if (!seen.isNew || !seen.hadAny) return [];
      const prefs = await this.repo.prefs(this.d.db, data.userId);
      return prefs?.sign_in === 1 ? [data.userId] : [];
    }
    return [];
  }

  // Sending ----------------------------------------------------------------------------------

  async send(): Promise<void> {
    for (const to of await this.repo.recipientsWithPending(this.d.db)) {
      await this.sendTo(to).catch((err: unknown) => this.d.log.warn({ err }, 'alert sending failed'));
    }
  }

  private async sendTo(to: Recipient): Promise<void> {
    const { db, clock } = this.d;
    let channel: ChannelRow | null = null;
    if ('channelId' in to) {
      channel = (await this.repo.findChannel(db, to.channelId)) ?? null;
      if (channel?.enabled !== 1) {
        await this.repo.skipPending(db, to, channel ? 'the channel is disabled' : 'the channel was deleted');
        return;
      }
      if (quietUntil(parse<QuietHours | null>(channel.quiet_hours, null), clock.now()) !== null) return;
    }
    const now = clock.now();
    let pending = await this.repo.pending(db, to, 1000);
    const head = pending[0];
    // In order: while the oldest waits for its retry, the others wait behind it.
    if (!head || (head.next_attempt_at !== null && Number(head.next_attempt_at) > now)) return;
    let due = pending.filter((p) => Number(p.due_at) <= now);
    const held = due.filter((p) => p.quiet === 1);
    if (held.length >= 2) {
      if (!(await this.fold(to, held))) return;
      pending = await this.repo.pending(db, to, 1000);
      due = pending.filter((p) => Number(p.due_at) <= now);
    }
    if (channel) {
      const b = budget(due.length, await this.repo.sentSince(db, channel.id, now - HOUR_MS), channel.max_per_hour);
      if (b.fold) {
        const digest = await this.fold(to, due.slice(b.single));
        if (!digest) return;
        due = [...due.slice(0, b.single), digest];
      } else {
        due = due.slice(0, b.single);
      }
    }
    for (const delivery of due) {
      if (!(await this.deliver(delivery, channel, to))) break;
    }
  }

  /** Folds deliveries into one new digest delivery (null when another instance moved first). */
  private async fold(to: Recipient, items: DeliveryRow[]): Promise<DeliveryRow | null> {
    const first = items[0];
    if (!first) return null;
    const now = this.d.clock.now();
    const data = JSON.stringify({
      count: items.length,
      items: items.map((i) => ({
        event: i.event,
        occurredAt: new Date(Number(i.created_at)).toISOString(),
        summary: i.summary,
        data: parse<Record<string, unknown>>(i.data, {}),
      })),
    });
    const digest = {
      id: newId(),
      outbox_id: first.outbox_id,
      tenant_id: first.tenant_id,
      channel_id: 'channelId' in to ? to.channelId : null,
      user_id: 'userId' in to ? to.userId : null,
      event: 'digest',
      summary: `${items.length} alerts`,
      data,
      created_at: now,
      due_at: now,
      quiet: 0,
      state: 'pending',
      attempts: 0,
      next_attempt_at: null,
      last_error: null,
      sent_at: null,
      claimed_until: null,
      digest_id: null,
    };
    const ok = await this.d.db
      .transaction()
      .execute(async (trx) => {
        if (
          !(await this.repo.fold(
            trx,
            items.map((i) => i.id),
            digest.id,
          ))
        )
          throw new Error('moved');
        await this.repo.insertDeliveries(trx, [digest]);
        return true;
      })
      .catch(() => false);
    return ok ? ({ ...digest, seq: 0 } as DeliveryRow) : null;
  }

  /** Sends one delivery; true when the queue may go on (sent, or given up after a day). */
  private async deliver(d: DeliveryRow, channel: ChannelRow | null, to: Recipient): Promise<boolean> {
    const { db, clock } = this.d;
    const claimedAt = clock.now();
    if (!(await this.repo.claim(db, d.id, claimedAt, claimedAt + CLAIM_MS))) return false;
    const payload: AlertPayload = {
      event: d.event,
      tenantId: d.tenant_id,
      occurredAt: new Date(Number(d.created_at)).toISOString(),
      data: parse<Record<string, unknown>>(d.data, {}),
    };
    const started = performance.now();
    let error: string | null = null;
    try {
      if (channel) await this.transmit(channel, payload);
      else if ('userId' in to) await this.mailPerson(to.userId, payload);
    } catch (err) {
      error = errorText(err);
    }
    const at = clock.now();
    const attempts = d.attempts + 1;
    const giveUp = error !== null && at - Number(d.created_at) >= GIVE_UP_AFTER_MS;
    await db.transaction().execute(async (trx) => {
      await this.repo.insertAttempt(trx, {
        id: newId(),
        delivery_id: d.id,
        at,
        ok: error ? 0 : 1,
        error,
        duration_ms: Math.round(performance.now() - started),
      });
      await this.repo.finish(
        trx,
        d.id,
        error
          ? {
              attempts,
              last_error: error,
              state: giveUp ? 'failed' : 'pending',
              next_attempt_at: giveUp ? null : at + retryDelay(attempts, this.d.random),
            }
          : { attempts, state: 'sent', sent_at: at, next_attempt_at: null },
      );
      if (channel) {
        await this.repo.updateChannel(
          trx,
          channel.id,
          error
            ? { last_failure_at: at, last_error: error, failing_since: channel.failing_since ?? at }
            : { last_success_at: at, failing_since: null },
        );
        channel.failing_since = error ? (channel.failing_since ?? at) : null;
      }
    });
    if (error) this.d.log.warn({ delivery: d.id, event: d.event, attempts, error }, 'alert delivery failed');
    const kind = channel ? (channel.type === 'email' ? 'email' : 'webhook') : 'personal';
    this.d.onAttempt?.(kind, error === null ? 'sent' : giveUp ? 'failed' : 'retry');
    return error === null || giveUp;
  }

  private async mailPerson(userId: string, payload: AlertPayload): Promise<void> {
    const user = await this.d.users.findById(userId);
    if (!user || user.disabled_at !== null) return;
    // A person's own alerts in their language (their profile's).
    await this.d.mailer.send([user.email], describe(payload.event, payload.data, alertLanguage(user.locale)));
  }
}
