// A named lease in the database: the holder renews it; when the holder dies it expires and
// another instance takes over. Portable (plain UPDATE/INSERT on both dialects), unlike a
// PostgreSQL session advisory lock, and independent of any one connection surviving a database
// restart. Instances compare against their own clocks, so the TTL keeps a margin for skew.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Clock } from './clock';
import { LeasesRepo } from './leases.repo';
import type { Logger } from './logger';

export interface LeaseOptions {
  name: string;
  holder: string;
  /** How long a lease lasts without renewal. */
  ttlMs: number;
  /** How often the holder renews (and others try to take over). */
  renewMs: number;
}

export class Lease {
  private heldUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly repo: LeasesRepo;

  constructor(
    db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly log: Logger,
    readonly opts: LeaseOptions,
  ) {
    this.repo = new LeasesRepo(db);
  }

  /** True while this instance holds the lease (with a margin before it would expire). */
  held(): boolean {
    return this.clock.now() < this.heldUntil;
  }

  /** Tries to take or renew the lease once. */
  async attempt(): Promise<boolean> {
    const now = this.clock.now();
    const expires = now + this.opts.ttlMs;
    try {
      const ok = await this.repo.take(this.opts.name, this.opts.holder, now, expires);
      const wasHeld = this.held();
      // Stop acting a renewal period before the lease could lapse.
      this.heldUntil = ok ? expires - this.opts.renewMs : 0;
      if (ok !== wasHeld) this.log.info({ lease: this.opts.name, held: ok }, ok ? 'lease acquired' : 'lease lost');
      return ok;
    } catch (err) {
      this.log.warn({ err, lease: this.opts.name }, 'lease renewal failed');
      this.heldUntil = 0;
      return false;
    }
  }

  start(): void {
    if (this.timer) return;
    void this.attempt();
    this.timer = setInterval(() => void this.attempt(), this.opts.renewMs);
    this.timer.unref();
  }

  /** Stops renewing and hands the lease back so another instance takes over at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.held()) return;
    this.heldUntil = 0;
    await this.repo.release(this.opts.name, this.opts.holder).catch(() => {});
  }
}
