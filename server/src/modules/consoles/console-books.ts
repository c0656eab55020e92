// The books of a console: when it opens, its row, a connection metric and the audit row (with
// the guest's name, or the node of a shell), the tenant's event, and the take-over of others'
// consoles by an exclusive one; when it ends, the row closed, the audit row (or a failed open and
// its metric) and the event; when a fresh ticket resumes a dropped console, that ticket's row. The consoles service calls these in order per console.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import type { EventHub } from '../../realtime/hub';
import type { AuditContext, AuditService } from '../audit/audit.service';
import type { RelayResult } from './console-relay';
import type { ConsoleUpstream } from './console-upstream';
import type { ConsolesRepo } from './consoles.repo';

export const TAKEN_OVER = 'console taken over';

/** What the closing bookkeeping needs of a console (a live one, or one that never started). */
export interface ConsoleRef {
  id: string;
  tenantId: string;
  serverId: string;
  vmid: number;
  userId: string;
  viewOnly: boolean;
  audit: AuditContext;
  startedAt: number;
  openedAt: number | null;
  /** Its recording, named in the audit rows (the log links each console to it). */
  recordingId?: string | null;
}

/** …and for opening: which kind it is, and a shell's node. */
export interface BookedConsole extends ConsoleRef {
  kind: 'vnc' | 'terminal' | 'shell';
  node: string;
}

export interface ConsoleBooksDeps {
  db: Kysely<Database>;
  repo: ConsolesRepo;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
  upstream: Pick<ConsoleUpstream, 'locate'>;
  /** Heartbeats older than this belong to lost instances. */
  staleBefore(): number;
}

export class ConsoleBooks {
  constructor(private readonly d: ConsoleBooksDeps) {}

  async opened(live: BookedConsole, setupMs: number, shared: boolean): Promise<void> {
    const now = this.d.clock.now();
    // The guest's name as it is now, for an audit row that reads well later (cached list).
    const guestName =
      live.kind === 'shell'
        ? null
        : await this.d.upstream
            .locate(live.tenantId, live.serverId, live.vmid)
            .then((l) => l.name)
            .catch(() => null);
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.repo.markOpened(trx, live.id, now);
      await this.d.repo.insertMetric(trx, {
        id: newId(),
        tenant_id: live.tenantId,
        server_id: live.serverId,
        success: 1,
        response_time_ms: setupMs,
        error: null,
        created_at: now,
      });
      await this.d.audit.record(trx, live.audit, {
        tenantId: live.tenantId,
        action: 'console.opened',
        targetType: 'console',
        targetId: live.id,
        details: {
          kind: live.kind,
          serverId: live.serverId,
          ...(live.kind === 'shell' ? { node: live.node } : { vmid: live.vmid, guestName }),
          viewOnly: live.viewOnly,
          shared,
          setupMs,
          ...(live.recordingId ? { recordingId: live.recordingId } : {}),
        },
      });
    });
    await this.publish(live, now, null);
    if (!shared && !live.viewOnly) {
      // An exclusive console (ClientInit shared=0) pushes everyone else off, as QEMU does.
      const others = await this.d.repo.openOnGuest(this.d.db, live.serverId, live.vmid, this.d.staleBefore());
      for (const consoleId of others) {
        if (consoleId !== live.id)
          await this.d.hub.publishSystem({ type: 'console.close', consoleId, reason: TAKEN_OVER });
      }
    }
  }

  async closed(live: ConsoleRef, result: RelayResult): Promise<void> {
    const now = this.d.clock.now();
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.repo.markClosed(trx, live.id, {
        closed_at: now,
        bytes_up: result.bytesUp,
        bytes_down: result.bytesDown,
        close_reason: result.reason,
      });
      if (result.established) {
        await this.d.audit.record(trx, live.audit, {
          tenantId: live.tenantId,
          action: 'console.closed',
          targetType: 'console',
          targetId: live.id,
          details: {
            serverId: live.serverId,
            vmid: live.vmid,
            viewOnly: live.viewOnly,
            reason: result.reason,
            code: result.code,
            by: result.by,
            durationMs: now - (live.openedAt ?? live.startedAt),
            bytesUp: result.bytesUp,
            bytesDown: result.bytesDown,
            droppedInput: result.droppedInput,
            ...(live.recordingId ? { recordingId: live.recordingId } : {}),
          },
        });
      } else {
        await this.d.repo.insertMetric(trx, {
          id: newId(),
          tenant_id: live.tenantId,
          server_id: live.serverId,
          success: 0,
          response_time_ms: now - live.startedAt,
          error: result.reason,
          created_at: now,
        });
        await this.d.audit.record(trx, live.audit, {
          tenantId: live.tenantId,
          action: 'console.open_failed',
          targetType: 'console',
          targetId: live.id,
          result: 'failure',
          details: {
            serverId: live.serverId,
            vmid: live.vmid,
            reason: result.reason,
            code: result.code,
            by: result.by,
          },
        });
      }
    });
    if (result.established) {
      await this.publish(live, now, result.reason);
    }
  }

  /** A fresh ticket re-attached to `into` (whose browser had dropped): the ticket's row closes as
   * resumed into it, and the audit row says who came back after how long. */
  async resumed(ticket: ConsoleRef, into: ConsoleRef, detachedMs: number): Promise<void> {
    const now = this.d.clock.now();
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.repo.markClosed(trx, ticket.id, {
        closed_at: now,
        bytes_up: 0,
        bytes_down: 0,
        close_reason: `resumed console ${into.id}`,
      });
      await this.d.audit.record(trx, ticket.audit, {
        tenantId: into.tenantId,
        action: 'console.resumed',
        targetType: 'console',
        targetId: into.id,
        details: {
          serverId: into.serverId,
          vmid: into.vmid,
          viewOnly: into.viewOnly,
          detachedMs,
          reconnectId: ticket.id,
        },
      });
    });
  }

  /** `console.opened`, or `console.closed` with its reason, to the tenant's event streams. */
  private async publish(live: ConsoleRef, now: number, closedFor: string | null): Promise<void> {
    const event = {
      tenantId: live.tenantId,
      at: new Date(now).toISOString(),
      serverId: live.serverId,
      vmid: live.vmid,
      consoleId: live.id,
      userId: live.userId,
    };
    await this.d.hub.publishTenant(
      closedFor === null
        ? { type: 'console.opened', ...event }
        : { type: 'console.closed', ...event, reason: closedFor },
    );
  }
}
