// SQL of the console module: tickets and sessions in `console_sessions` (shared by every
// instance, so a ticket issued on one can be upgraded on another), and console connection metrics.
import type { Insertable, Selectable } from 'kysely';
import type { ConsoleSessionsTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export type ConsoleRow = Selectable<ConsoleSessionsTable>;

export interface OpenViewerRow {
  id: string;
  user_id: string;
  view_only: number;
  opened_at: number | null;
  email: string | null;
  full_name: string | null;
  share_id: string | null;
  client_ip: string | null;
}

export class ConsolesRepo {
  insert(db: Executor, row: Insertable<ConsoleSessionsTable>): Promise<unknown> {
    return db.insertInto('console_sessions').values(row).execute();
  }

  findByTicketHash(db: Executor, ticketHash: string): Promise<ConsoleRow | undefined> {
    return db.selectFrom('console_sessions').selectAll().where('ticket_hash', '=', ticketHash).executeTakeFirst();
  }

  findById(db: Executor, id: string): Promise<ConsoleRow | undefined> {
    return db.selectFrom('console_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Marks the ticket used; false when someone else used it first or it expired meanwhile. */
  async consume(db: Executor, id: string, now: number, instanceId: string, clientIp: string): Promise<boolean> {
    const result = await db
      .updateTable('console_sessions')
      .set({ consumed_at: now, heartbeat_at: now, instance_id: instanceId, client_ip: clientIp })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Consoles open now (claimed, not closed, their instance still beating) in a tenant or on a
   * node. Unused tickets hold no slot: a viewer asking for many must not block anyone. */
  async countOpen(
    db: Executor,
    where: { tenantId: string } | { serverId: string; node: string },
    staleBefore: number,
    except?: string | null,
  ): Promise<number> {
    let q = db
      .selectFrom('console_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('closed_at', 'is', null)
      .where('consumed_at', 'is not', null)
      .where('heartbeat_at', '>', staleBefore);
    if (except) q = q.where('id', '!=', except);
    q =
      'tenantId' in where
        ? q.where('tenant_id', '=', where.tenantId)
        : q.where('server_id', '=', where.serverId).where('node', '=', where.node);
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Expiry times of a user's unused, unexpired tickets (every tenant), soonest first. Tickets
   * of their share links are the recipients', not theirs. */
  async pendingTicketExpiries(db: Executor, userId: string, now: number): Promise<number[]> {
    const rows = await this.ownTickets(db, userId)
      .select('expires_at')
      .where('consumed_at', 'is', null)
      .where('closed_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('expires_at')
      .execute();
    return rows.map((r) => r.expires_at);
  }

  /** When a user's tickets issued since `since` were issued (every tenant), oldest first. */
  async ticketsIssuedSince(db: Executor, userId: string, since: number): Promise<number[]> {
    const rows = await this.ownTickets(db, userId)
      .select('created_at')
      .where('created_at', '>', since)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => r.created_at);
  }

  /** A user's own tickets (those of their share links are the recipients'). */
  private ownTickets(db: Executor, userId: string) {
    return db.selectFrom('console_sessions').where('user_id', '=', userId).where('share_id', 'is', null);
  }

  /** The guest turned out to live on another node (migrated since the ticket). */
  moveToNode(db: Executor, id: string, node: string): Promise<unknown> {
    return db.updateTable('console_sessions').set({ node }).where('id', '=', id).execute();
  }

  markOpened(db: Executor, id: string, now: number): Promise<unknown> {
    return db.updateTable('console_sessions').set({ opened_at: now, heartbeat_at: now }).where('id', '=', id).execute();
  }

  markClosed(
    db: Executor,
    id: string,
    set: { closed_at: number; bytes_up: number; bytes_down: number; close_reason: string },
  ): Promise<unknown> {
    return db.updateTable('console_sessions').set(set).where('id', '=', id).where('closed_at', 'is', null).execute();
  }

  heartbeat(db: Executor, ids: string[], now: number): Promise<unknown> {
    return db
      .updateTable('console_sessions')
      .set({ heartbeat_at: now })
      .where('id', 'in', ids)
      .where('closed_at', 'is', null)
      .execute();
  }

  /** Open consoles of other sessions on one guest (for an exclusive take-over). */
  async openOnGuest(db: Executor, serverId: string, vmid: number, staleBefore: number): Promise<string[]> {
    const rows = await db
      .selectFrom('console_sessions')
      .select('id')
      .where('server_id', '=', serverId)
      .where('vmid', '=', vmid)
      .where('consumed_at', 'is not', null)
      .where('closed_at', 'is', null)
      .where('heartbeat_at', '>', staleBefore)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Who is on a guest's console now, with the user's name. */
  viewers(
    db: Executor,
    tenantId: string,
    serverId: string,
    vmid: number,
    staleBefore: number,
  ): Promise<OpenViewerRow[]> {
    return db
      .selectFrom('console_sessions as c')
      .leftJoin('users as u', 'u.id', 'c.user_id')
      .select([
        'c.id',
        'c.user_id',
        'c.view_only',
        'c.opened_at',
        'u.email',
        'u.full_name',
        'c.share_id',
        'c.client_ip',
      ])
      .where('c.tenant_id', '=', tenantId)
      .where('c.server_id', '=', serverId)
      .where('c.vmid', '=', vmid)
      .where('c.opened_at', 'is not', null)
      .where('c.closed_at', 'is', null)
      .where('c.heartbeat_at', '>', staleBefore)
      .orderBy('c.opened_at')
      .execute();
  }

  /** Consoles open now through share links (for their listing). */
  openThroughShares(
    db: Executor,
    shareIds: string[],
    staleBefore: number,
  ): Promise<{ id: string; share_id: string | null; client_ip: string | null; opened_at: number | null }[]> {
    if (shareIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('console_sessions')
      .select(['id', 'share_id', 'client_ip', 'opened_at'])
      .where('share_id', 'in', shareIds)
      .where('opened_at', 'is not', null)
      .where('closed_at', 'is', null)
      .where('heartbeat_at', '>', staleBefore)
      .orderBy('opened_at')
      .execute();
  }

  /** Rows of instances that stopped beating: closed as lost. */
  async closeStale(db: Executor, staleBefore: number, now: number): Promise<number> {
    const result = await db
      .updateTable('console_sessions')
      .set({ closed_at: now, close_reason: 'Nexus instance lost' })
      .where('consumed_at', 'is not', null)
      .where('closed_at', 'is', null)
      .where('heartbeat_at', '<=', staleBefore)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Tickets never used: nothing to keep once long expired. */
  async deleteUnusedBefore(db: Executor, before: number): Promise<number> {
    const result = await db
      .deleteFrom('console_sessions')
      .where('consumed_at', 'is', null)
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  insertMetric(
    db: Executor,
    row: {
      id: string;
      tenant_id: string;
      server_id: string;
      success: number;
      response_time_ms: number | null;
      error: string | null;
      created_at: number;
    },
  ): Promise<unknown> {
    return db
      .insertInto('connection_metrics')
      .values({ ...row, kind: 'console' })
      .execute();
  }
}
