// Demo data: 24 hours of plausible health checks for a server, so a fresh demo (and the
// screenshots) show charts with a history instead of a single point. Written straight into
// connection_metrics, as the health scheduler would have; never used outside demos and tests.
import { randomUUID } from 'node:crypto';
import type { Db } from '../server/src/db/database';

export interface HistoryShape {
  /** Typical response time in ms. */
  baseMs: number;
  /** Share of failed checks, 0–1. */
  failureRate: number;
  /** Hours ago (from, to) during which the server was unreachable. */
  outage?: [number, number];
}

export async function seedHealthHistory(
  database: Db,
  tenantId: string,
  serverId: string,
  shape: HistoryShape,
  hours = 24,
  checksPerHour = 12,
): Promise<void> {
  const now = Date.now();
  const rows = [];
  // A fixed pseudo-random walk per server, so the charts look alive but repeatable.
  let seed = [...serverId].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7);
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let h = hours; h >= 1; h--) {
    for (let c = 0; c < checksPerHour; c++) {
      const at = now - h * 3_600_000 + c * (3_600_000 / checksPerHour);
      const hoursAgo = (now - at) / 3_600_000;
      const down = shape.outage !== undefined && hoursAgo <= shape.outage[0] && hoursAgo >= shape.outage[1];
      const failed = down || rand() < shape.failureRate;
      const daily = 1 + 0.35 * Math.sin((hoursAgo / 24) * 2 * Math.PI);
      rows.push({
        id: randomUUID(),
        tenant_id: tenantId,
        server_id: serverId,
        kind: 'health',
        success: failed ? 0 : 1,
        response_time_ms: failed ? null : Math.round(shape.baseMs * daily * (0.8 + rand() * 0.5)),
        error: failed ? (down ? 'connect ECONNREFUSED' : 'timeout after 3000 ms') : null,
        created_at: Math.round(at),
      });
    }
  }
  await database.db.insertInto('connection_metrics').values(rows).execute();
}
