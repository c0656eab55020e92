// What other modules may know of users: find them, count them, add one (sign-up, setup,
// invitations), their memberships, and a display label. The users table itself is the users
// module's (users.repo.ts); nobody else imports that repository.
import type { Insertable, Kysely } from 'kysely';
import type { Database, UsersTable } from '../../db/schema';
import type { Executor } from '../../db/tx';
import { newId } from '../../lib/ids';
import { type MembershipRow, type UserRow, UsersRepo } from './users.repo';

/** A user as other modules see the row (the users module owns the table). */
export type UserRecord = UserRow;

/** A new account's row: enabled, no avatar; `passwordHash` null for one that signs in through a
 * provider (its password then counts as never set). */
export function newUserRecord(
  u: { email: string; passwordHash: string | null; fullName: string | null; globalRole: UserRow['global_role'] },
  now: number,
): UserRecord {
  return {
    id: newId(),
    email: u.email.toLowerCase(),
    password_hash: u.passwordHash,
    full_name: u.fullName,
    avatar_url: null,
    global_role: u.globalRole,
    disabled_at: null,
    password_changed_at: u.passwordHash === null ? null : now,
    created_at: now,
    updated_at: now,
  };
}

export class UserDirectory {
  private readonly repo = new UsersRepo();

  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<UserRow | undefined> {
    return this.repo.findById(this.db, id);
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.repo.findByEmail(this.db, email);
  }

  count(): Promise<number> {
    return this.repo.count(this.db);
  }

  memberships(userId: string): Promise<MembershipRow[]> {
    return this.repo.memberships(this.db, userId);
  }

  /** Inside the caller's transaction (a user is created together with what comes with them). */
  insert(trx: Executor, row: Insertable<UsersTable>): Promise<void> {
    return this.repo.insert(trx, row);
  }

  /** A single sign-on's global role (the role map's `global:admin`). */
  setGlobalRole(trx: Executor, id: string, role: 'admin' | 'user', now: number): Promise<void> {
    return this.repo.update(trx, id, { global_role: role, updated_at: now });
  }

  /** How a person is shown where they acted: their name, else their e-mail; null if gone. */
  async label(userId: string): Promise<string | null> {
    const u = await this.repo.findById(this.db, userId);
    return u ? (u.full_name ?? u.email) : null;
  }
}
