// Background work that runs on one instance at a time: a lease (lease.ts) and a round every few
// milliseconds while it is held, never two rounds at once. Used by the alert sender and the
// audit forwarder; a round's failure is logged and the next round tries again.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { systemClock } from './clock';
import { Lease } from './lease';
import type { Logger } from './logger';

export class LeasedLoop {
  private readonly lease: Lease;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    db: Kysely<Database>,
    private readonly log: Logger,
    private readonly opts: { name: string; holder: string; everyMs: number },
    private readonly round: () => Promise<void>,
  ) {
    // Wall-clock times across processes, as every lease.
    this.lease = new Lease(db, systemClock, log, {
      name: opts.name,
      holder: opts.holder,
      ttlMs: 15_000,
      renewMs: 5_000,
    });
  }

  start(): void {
    if (this.timer) return;
    this.lease.start();
    this.timer = setInterval(() => {
      if (!this.lease.held() || this.running) return;
      this.running = this.round()
        .catch((err: unknown) => this.log.warn({ err, loop: this.opts.name }, 'background round failed'))
        .finally(() => {
          this.running = null;
        });
    }, this.opts.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.lease.stop();
  }
}
