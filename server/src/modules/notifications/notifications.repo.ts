// Notifications per tenant and each user's read marks.
import type { Executor } from '../../db/tx';

export interface NotificationRow {
  id: string;
  tenant_id: string;
  kind: string;
  payload: string;
  actor_user_id: string | null;
  created_at: number;
  read_at: number | null;
}

export class NotificationsRepo {
  async insert(db: Executor, row: Omit<NotificationRow, 'read_at'>) {
    await db.insertInto('notifications').values(row).execute();
  }

  /** Newest first, with the user's read mark; others' own actions are excluded by the caller. */
  list(db: Executor, tenantId: string, userId: string, opts: { before?: number; unread?: boolean; limit: number }) {
    let q = db
      .selectFrom('notifications as n')
      .leftJoin('notification_reads as r', (j) =>
        j.onRef('r.notification_id', '=', 'n.id').on('r.user_id', '=', userId),
      )
      .select(['n.id', 'n.tenant_id', 'n.kind', 'n.payload', 'n.actor_user_id', 'n.created_at', 'r.read_at'])
      .where('n.tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('n.actor_user_id', 'is', null), eb('n.actor_user_id', '!=', userId)]));
    if (opts.before !== undefined) q = q.where('n.created_at', '<', opts.before);
    if (opts.unread) q = q.where('r.read_at', 'is', null);
    return q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(opts.limit).execute() as Promise<
      NotificationRow[]
    >;
  }

  /** The tenant's newest notifications of some kinds (kind and payload only), newest first. */
  recentOfKinds(db: Executor, tenantId: string, kinds: readonly string[], limit: number) {
    return db
      .selectFrom('notifications')
      .select(['kind', 'payload'])
      .where('tenant_id', '=', tenantId)
      .where('kind', 'in', [...kinds])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  async markRead(db: Executor, tenantId: string, userId: string, ids: string[] | 'all', at: number): Promise<void> {
    let q = db
      .selectFrom('notifications as n')
      .leftJoin('notification_reads as r', (j) =>
        j.onRef('r.notification_id', '=', 'n.id').on('r.user_id', '=', userId),
      )
      .select('n.id')
      .where('n.tenant_id', '=', tenantId)
      .where('r.read_at', 'is', null);
    if (ids !== 'all') {
      if (ids.length === 0) return;
      q = q.where('n.id', 'in', ids);
    }
    const unread = await q.execute();
    for (let i = 0; i < unread.length; i += 200) {
      const chunk = unread.slice(i, i + 200).map((r) => ({ notification_id: r.id, user_id: userId, read_at: at }));
      if (chunk.length > 0) {
        await db
          .insertInto('notification_reads')
          .values(chunk)
          .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
          .execute();
      }
    }
  }

  async pruneOlderThan(db: Executor, before: number): Promise<void> {
    await db.deleteFrom('notifications').where('created_at', '<', before).execute();
  }
}
