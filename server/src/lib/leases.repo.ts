// The `leases` table: take (or renew) a named lease, hand it back. See lease.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export class LeasesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Takes the lease when it is free, expired or already ours; true when we hold it now. */
  async take(name: string, holder: string, now: number, expiresAt: number): Promise<boolean> {
    const updated = await this.db
      .updateTable('leases')
      .set({ holder, expires_at: expiresAt })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', now)]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return true;
    const inserted = await this.db
      .insertInto('leases')
      .values({ name, holder, expires_at: expiresAt })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db
      .updateTable('leases')
      .set({ expires_at: 0 })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .execute();
  }
}
