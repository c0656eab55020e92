// Brute-force limits of password sign-in, shared by every instance through the database: at most
// LOGIN_MAX_FAILURES attempts per account and address, and IP_MAX_FAILURES per address, within
// LOGIN_WINDOW_MS. An attempt is reserved (a row in login_failures, in_flight) under a lock on its
// address *before* its password is checked, so parallel guesses cannot all pass the check at
// once. A failed attempt keeps its row; a successful one deletes only its own.
//
// The price: attempts being checked count too, so at most 5 sign-ins of one account from one
// address (20 from one address) are checked at the same moment. One refused only because others
// are in flight is told to retry in a second, not locked out for the window.
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { type Executor, lockNamed } from '../../db/tx';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import type { CredentialsRepo } from './credentials.repo';

export const LOGIN_WINDOW_MS = 5 * 60_000;
export const LOGIN_MAX_FAILURES = 5;
export const IP_MAX_FAILURES = 20;

export type Reservation =
  | { ok: true; id: string }
  /** `busy`: refused only because of attempts still being checked. */
  | { ok: false; retryAfterSeconds: number; busy: boolean };

interface Attempt {
  email: string;
  created_at: number;
  in_flight: number;
}

/** Seconds until `max` attempts (newest first) no longer fall in one window, or 0. */
function lockedFor(times: number[], max: number, now: number): number {
  if (times.length < max) return 0;
  const newest = times[0] ?? 0;
  const oldest = times[max - 1] ?? 0;
  if (newest - oldest > LOGIN_WINDOW_MS) return 0;
  const until = newest + LOGIN_WINDOW_MS;
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/** Seconds until the account+address pair and the address may try again, or 0. */
function waitFor(attempts: Attempt[], email: string, now: number): number {
  const times = (list: Attempt[]) => list.map((a) => a.created_at);
  return Math.max(
    lockedFor(times(attempts.filter((a) => a.email === email)), LOGIN_MAX_FAILURES, now),
    lockedFor(times(attempts), IP_MAX_FAILURES, now),
  );
}

export class LoginLimiter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly creds: CredentialsRepo,
  ) {}

  /**
   * Takes one attempt for (email, ip), or says how long to wait. Counting and taking happen under
   * one lock per address (PostgreSQL: across instances; SQLite runs one transaction at a time).
   */
  reserve(email: string, ip: string): Promise<Reservation> {
    return this.db.transaction().execute(async (trx): Promise<Reservation> => {
      await lockNamed(trx, this.dialect, `login:${ip}`);
      const now = this.clock.now();
      const attempts = await this.creds.recentAttempts(trx, ip, now - 2 * LOGIN_WINDOW_MS);
      if (waitFor(attempts, email, now) > 0) {
        const failuresAlone = waitFor(
          attempts.filter((a) => a.in_flight === 0),
          email,
          now,
        );
        return { ok: false, retryAfterSeconds: Math.max(failuresAlone, 1), busy: failuresAlone === 0 };
      }
      const id = newId();
      await this.creds.insertLoginAttempt(trx, { id, email, ip, created_at: now });
      return { ok: true, id };
    });
  }

  /** The password was wrong: the reservation stays, as a failure. */
  async fail(db: Executor, reservationId: string): Promise<void> {
    await this.creds.settleLoginFailure(db, reservationId);
  }

  /**
   * A successful sign-in gives back its own attempt and nothing else: wiping the account's
   * failures would hand a fresh budget to guesses still in flight (or about to arrive) from the
   * same address, so failures before a success count until they leave the window.
   */
  async release(db: Executor, reservationId: string): Promise<void> {
    await this.creds.deleteLoginFailure(db, reservationId);
  }

  async prune(): Promise<void> {
    await this.creds.pruneFailures(this.db, this.clock.now() - 2 * LOGIN_WINDOW_MS);
  }
}
