// The `realtime_events` table (PostgreSQL only) and NOTIFY: what pg-hub.ts writes and reads.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export interface StoredEvent {
  id: number;
  payload: string;
}

export class RealtimeEventsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tenantId: string, payload: string, at: number): Promise<number> {
    const row = await this.db
      .insertInto('realtime_events')
      .values({ tenant_id: tenantId, payload, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async notify(channel: string, payload: string): Promise<void> {
    await sql`select pg_notify(${channel}, ${payload})`.execute(this.db);
  }

  async payloadOf(id: number): Promise<string | undefined> {
    return (await this.db.selectFrom('realtime_events').select('payload').where('id', '=', id).executeTakeFirst())
      ?.payload;
  }

  /** Events after `afterId` (of one tenant, or all), oldest first. */
  async after(afterId: number, limit: number, tenantId?: string): Promise<StoredEvent[]> {
    let q = this.db.selectFrom('realtime_events').select(['id', 'payload']).where('id', '>', afterId);
    if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ id: Number(r.id), payload: r.payload }));
  }

  async oldestId(): Promise<number | null> {
    const row = await this.db
      .selectFrom('realtime_events')
      .select((eb) => eb.fn.min('id').as('id'))
      .executeTakeFirst();
    return row?.id == null ? null : Number(row.id);
  }

  async newestId(): Promise<number> {
    const row = await sql<{ id: number | null }>`select max(id) as id from realtime_events`.execute(this.db);
    return Number(row.rows[0]?.id ?? 0);
  }

  async deleteBefore(at: number): Promise<void> {
    await this.db.deleteFrom('realtime_events').where('created_at', '<', at).execute();
  }
}
