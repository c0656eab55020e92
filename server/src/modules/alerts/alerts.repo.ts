// All SQL of outbound alerts: channels, the outbox, deliveries and their attempts, server alert
// states, mutes, personal choices and known devices. Claims and state moves are conditional
// updates, so two instances never both take the same row.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  AlertDeliveriesTable,
  AlertOutboxTable,
  NotificationChannelsTable,
  ServerAlertsTable,
} from '../../db/schema';
import type { Executor } from '../../db/tx';

export type ChannelRow = Selectable<NotificationChannelsTable>;
export type OutboxRow = Selectable<AlertOutboxTable>;
export type DeliveryRow = Selectable<AlertDeliveriesTable>;
export type ServerAlertRow = Selectable<ServerAlertsTable>;

/** Who a run of deliveries goes to: a channel, or a person (personal alerts). */
export type Recipient = { channelId: string } | { userId: string };

const forRecipient = (r: Recipient) =>
  'channelId' in r ? (['channel_id', r.channelId] as const) : (['user_id', r.userId] as const);

export class AlertsRepo {
  // Channels ---------------------------------------------------------------------------------

  listChannels(db: Executor, tenantId: string): Promise<ChannelRow[]> {
    return db
      .selectFrom('notification_channels')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  findChannel(db: Executor, id: string): Promise<ChannelRow | undefined> {
    return db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertChannel(db: Executor, row: Insertable<NotificationChannelsTable>): Promise<void> {
    await db.insertInto('notification_channels').values(row).execute();
  }

  async updateChannel(db: Executor, id: string, patch: Updateable<NotificationChannelsTable>): Promise<void> {
    await db.updateTable('notification_channels').set(patch).where('id', '=', id).execute();
  }

  /** Deletes a channel and what still waited for it. */
  async deleteChannel(db: Executor, tenantId: string, id: string): Promise<boolean> {
    const res = await db
      .deleteFrom('notification_channels')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    await db.deleteFrom('alert_deliveries').where('channel_id', '=', id).where('state', '=', 'pending').execute();
    return Number(res.numDeletedRows) > 0;
  }

  /** Pending deliveries per channel of a tenant. */
  async pendingCounts(db: Executor, tenantId: string): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('alert_deliveries')
      .select(['channel_id', db.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('state', '=', 'pending')
      .where('channel_id', 'is not', null)
      .groupBy('channel_id')
      .execute();
    return new Map(rows.map((r) => [r.channel_id as string, Number(r.n)]));
  }

  channelsWithSecrets(db: Executor) {
    return db
      .selectFrom('notification_channels')
      .select(['id', 'secret_sealed'])
      .where('secret_sealed', 'is not', null)
      .execute();
  }

  // Outbox -----------------------------------------------------------------------------------

  async insertOutbox(db: Executor, row: Insertable<AlertOutboxTable>): Promise<void> {
    await db.insertInto('alert_outbox').values(row).execute();
  }

  undispatched(db: Executor, limit: number): Promise<OutboxRow[]> {
    return db
      .selectFrom('alert_outbox')
      .selectAll()
      .where('dispatched_at', 'is', null)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** Takes an outbox row for dispatching; false when another instance already did. */
  async markDispatched(db: Executor, id: string, at: number): Promise<boolean> {
    const res = await db
      .updateTable('alert_outbox')
      .set({ dispatched_at: at })
      .where('id', '=', id)
      .where('dispatched_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async pruneOutbox(db: Executor, before: number): Promise<void> {
    await db.deleteFrom('alert_outbox').where('dispatched_at', '<', before).execute();
    const old = db
      .selectFrom('alert_deliveries')
      .select('id')
      .where('state', '!=', 'pending')
      .where('created_at', '<', before);
    await db.deleteFrom('alert_attempts').where('delivery_id', 'in', old).execute();
    await db.deleteFrom('alert_deliveries').where('state', '!=', 'pending').where('created_at', '<', before).execute();
  }

  // Deliveries -------------------------------------------------------------------------------

  async insertDeliveries(db: Executor, rows: Insertable<AlertDeliveriesTable>[]): Promise<void> {
    if (rows.length > 0) await db.insertInto('alert_deliveries').values(rows).execute();
  }

  /** Channels and people with something pending (due or not). */
  async recipientsWithPending(db: Executor): Promise<Recipient[]> {
    const rows = await db
      .selectFrom('alert_deliveries')
      .select(['channel_id', 'user_id'])
      .where('state', '=', 'pending')
      .groupBy(['channel_id', 'user_id'])
      .execute();
    return rows.flatMap((r): Recipient[] =>
      r.channel_id ? [{ channelId: r.channel_id }] : r.user_id ? [{ userId: r.user_id }] : [],
    );
  }

  /** A recipient's pending deliveries in order (the oldest first). */
  pending(db: Executor, to: Recipient, limit: number): Promise<DeliveryRow[]> {
    const [column, value] = forRecipient(to);
    return db
      .selectFrom('alert_deliveries')
      .selectAll()
      .where(column, '=', value)
      .where('state', '=', 'pending')
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** Deliveries sent to a channel since a time (a digest counts once). */
  async sentSince(db: Executor, channelId: string, since: number): Promise<number> {
    const row = await db
      .selectFrom('alert_deliveries')
      .select(db.fn.countAll<number>().as('n'))
      .where('channel_id', '=', channelId)
      .where('state', '=', 'sent')
      .where('sent_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Claims a pending delivery for sending until `until`; false when someone else holds it. */
  async claim(db: Executor, id: string, now: number, until: number): Promise<boolean> {
    const res = await db
      .updateTable('alert_deliveries')
      .set({ claimed_until: until })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async finish(db: Executor, id: string, patch: Updateable<AlertDeliveriesTable>): Promise<void> {
    await db
      .updateTable('alert_deliveries')
      .set({ ...patch, claimed_until: null })
      .where('id', '=', id)
      .execute();
  }

  /** Folds pending deliveries into a digest; false (nothing changed) if any is no longer pending. */
  async fold(db: Executor, ids: string[], digestId: string): Promise<boolean> {
    const res = await db
      .updateTable('alert_deliveries')
      .set({ state: 'folded', digest_id: digestId })
      .where('id', 'in', ids)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === ids.length;
  }

  async skipPending(db: Executor, to: Recipient, why: string): Promise<void> {
    const [column, value] = forRecipient(to);
    await db
      .updateTable('alert_deliveries')
      .set({ state: 'skipped', last_error: why })
      .where(column, '=', value)
      .where('state', '=', 'pending')
      .execute();
  }

  async insertAttempt(
    db: Executor,
    row: { id: string; delivery_id: string; at: number; ok: number; error: string | null; duration_ms: number },
  ): Promise<void> {
    await db.insertInto('alert_attempts').values(row).execute();
  }

  recentDeliveries(db: Executor, channelId: string, limit: number): Promise<DeliveryRow[]> {
    return db
      .selectFrom('alert_deliveries')
      .selectAll()
      .where('channel_id', '=', channelId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
  }

  // Server alert states ----------------------------------------------------------------------

  serverAlerts(db: Executor): Promise<ServerAlertRow[]> {
    return db.selectFrom('server_alerts').selectAll().execute();
  }

  /** Inserts a state unless the server has one; true when inserted. */
  async openServerAlert(db: Executor, row: ServerAlertRow): Promise<boolean> {
    const inserted = await db
      .insertInto('server_alerts')
      .values(row)
      .onConflict((oc) => oc.column('server_id').doNothing())
      .returning('server_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Moves a server's alert from one state to the next; false when it was not in `from`. */
  async moveServerAlert(
    db: Executor,
    serverId: string,
    from: { state: string; kind: string },
    patch: Updateable<ServerAlertsTable>,
  ): Promise<boolean> {
    const res = await db
      .updateTable('server_alerts')
      .set(patch)
      .where('server_id', '=', serverId)
      .where('state', '=', from.state)
      .where('kind', '=', from.kind)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async closeServerAlert(db: Executor, serverId: string, state: string): Promise<boolean> {
    const res = await db
      .deleteFrom('server_alerts')
      .where('server_id', '=', serverId)
      .where('state', '=', state)
      .executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }

  // Mutes ------------------------------------------------------------------------------------

  mutes(db: Executor, tenantId: string, now: number) {
    return db
      .selectFrom('alert_mutes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('until', '>', now)
      .orderBy('until')
      .execute();
  }

  async mutedUntil(db: Executor, tenantId: string, serverId: string, now: number): Promise<number | null> {
    const row = await db
      .selectFrom('alert_mutes')
      .select('until')
      .where('tenant_id', '=', tenantId)
      .where('server_id', '=', serverId)
      .where('until', '>', now)
      .executeTakeFirst();
    return row ? Number(row.until) : null;
  }

  async putMute(
    db: Executor,
    row: {
      tenant_id: string;
      server_id: string;
      until: number;
      reason: string | null;
      created_by: string;
      created_at: number;
    },
  ): Promise<void> {
    await db
      .insertInto('alert_mutes')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'server_id']).doUpdateSet({
          until: row.until,
          reason: row.reason,
          created_by: row.created_by,
          created_at: row.created_at,
        }),
      )
      .execute();
  }

  async deleteMute(db: Executor, tenantId: string, serverId: string): Promise<boolean> {
    const res = await db
      .deleteFrom('alert_mutes')
      .where('tenant_id', '=', tenantId)
      .where('server_id', '=', serverId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  // People -----------------------------------------------------------------------------------

  prefs(db: Executor, userId: string) {
    return db.selectFrom('user_alert_prefs').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async putPrefs(db: Executor, userId: string, guestPower: boolean, signIn: boolean, at: number): Promise<void> {
    const values = { guest_power: guestPower ? 1 : 0, sign_in: signIn ? 1 : 0, updated_at: at };
    await db
      .insertInto('user_alert_prefs')
      .values({ user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }

  /** Users who want mail about others' power actions (membership is checked by the caller). */
  async guestPowerSubscribers(db: Executor): Promise<string[]> {
    const rows = await db.selectFrom('user_alert_prefs').select('user_id').where('guest_power', '=', 1).execute();
    return rows.map((r) => r.user_id);
  }

  /** Records a device; returns whether it is new and whether the user had any device before. */
  async seeDevice(
    db: Executor,
    userId: string,
    hash: string,
    at: number,
  ): Promise<{ isNew: boolean; hadAny: boolean }> {
    const known = await db
      .selectFrom('user_devices')
      .select(['device_hash'])
      .where('user_id', '=', userId)
      .limit(1000)
      .execute();
    const isNew = !known.some((k) => k.device_hash === hash);
    await db
      .insertInto('user_devices')
      .values({ user_id: userId, device_hash: hash, first_seen_at: at, last_seen_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'device_hash']).doUpdateSet({ last_seen_at: at }))
      .execute();
    return { isNew, hadAny: known.length > 0 };
  }
}
