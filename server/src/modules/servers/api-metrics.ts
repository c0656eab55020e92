// `api` connection metrics: every Proxmox call made for a server (inventory, actions, explorer)
// is buffered and written in batches, so hot paths never wait on a metrics insert.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { ProxmoxCallEvent } from '../../proxmox';
import type { EventHub } from '../../realtime/hub';
import { type MetricRow, metricRow, type ServersRepo } from './servers.repo';

export class ApiMetricsRecorder {
  private buffer: MetricRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: ServersRepo,
    private readonly hub: EventHub,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: { flushMs: number; maxBuffer: number } = { flushMs: 2000, maxBuffer: 500 },
  ) {}

  record(event: ProxmoxCallEvent): void {
    if (!event.metric || event.method === 'WEBSOCKET' || this.closed) return;
    this.buffer.push(metricRow(event, 'api', event, this.clock.now()));
    if (this.buffer.length >= this.opts.maxBuffer) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.flushMs);
      this.timer.unref();
    }
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = this.buffer;
    this.buffer = [];
    if (rows.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      try {
        await this.repo.insertMetrics(this.db, rows);
      } catch (err) {
        // A deleted server's rows or a closing database: metrics are best effort.
        this.log.warn({ err, rows: rows.length }, 'could not record api metrics');
        return;
      }
      const seen = new Set<string>();
      for (const r of rows) {
        const key = `${r.tenant_id}/${r.server_id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await this.hub.publishTenant({
          type: 'metrics.recorded',
          tenantId: r.tenant_id,
          serverId: r.server_id,
          kind: 'api',
          at: new Date(this.clock.now()).toISOString(),
        });
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
