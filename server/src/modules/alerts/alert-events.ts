// What becomes an alert, written to the outbox in the same transaction as what it reports:
// - guest actions, console opens, member changes and sign-ins: from their audit rows, inside the
//   transaction that writes them (AuditService calls `fromAudit`);
// - server alerts: from the servers' stored status, reconciled on every tick (`reconcile`), so
//   a status change is never missed, even one committed just before a crash. A server must stay
//   offline for the tenant's `alertOfflineAfterSeconds` before it alerts (shorter outages say
//   nothing); other alert statuses alert at once. Back online, the alert settles for a while:
//   going down again meanwhile folds into the same alert (a flap, counted), and only a stable
//   recovery closes it with one message.
import type { ServerStatus } from '@common/events';
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../db/database';
import type { AuditLogsTable, Database } from '../../db/schema';
import { type Executor, lockNamed } from '../../db/tx';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import type { ServerDirectory } from '../servers/server-directory';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { AlertsRepo, type ServerAlertRow } from './alerts.repo';

/** Server statuses that alert, and the event each raises. */
/** An audit row as written (the audit module's row type, read from the schema). */
type AuditRow = AuditLogsTable;

export const STATUS_EVENTS: Partial<Record<ServerStatus, string>> = {
  offline: 'server.offline',
  tls_error: 'server.tls_mismatch',
  auth_error: 'server.auth_error',
  refused: 'server.refused',
};
const ALERT_STATUSES = Object.keys(STATUS_EVENTS);

/** How long a recovery must hold before it is announced (a flap within it is folded). */
export const SETTLE_MS = 60_000;

const MEMBER_CHANGES: Record<string, string> = {
  'member.added': 'member added',
  'member.invited': 'member invited',
  'member.removed': 'member removed',
  'member.role_changed': 'role changed',
  'member.assignments_changed': 'guest assignments changed',
  'member.sso_synced': 'roles synced from single sign-on',
};
const SIGN_INS = new Set(['auth.login', 'auth.sso_login', 'auth.passkey_login']);

function parseDetails(row: AuditRow): Record<string, unknown> {
  try {
    return row.details ? (JSON.parse(row.details) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The outbox event an audit row raises, if any. */
export function auditEvent(
  row: AuditRow,
): { event: string; tenantId: string | null; data: Record<string, unknown> } | null {
  if (row.result !== 'success') return null;
  const d = parseDetails(row);
  const actor = { actorUserId: row.actor_user_id, actorLabel: row.actor_label, actorIp: row.actor_ip };
  if (SIGN_INS.has(row.action) && row.actor_user_id) {
    return {
      event: 'account.sign_in',
      tenantId: null,
      data: { userId: row.actor_user_id, ip: row.actor_ip, userAgent: row.user_agent, method: row.action },
    };
  }
  if (!row.tenant_id) return null;
  if (row.action.startsWith('vm.') && row.target_type === 'vm' && row.action !== 'vm.bulk_action') {
    return {
      event: 'vm.action',
      tenantId: row.tenant_id,
      data: {
        serverId: d.serverId,
        serverName: d.serverName,
        vmid: d.vmid,
        guestName: d.guestName ?? null,
        action: typeof d.action === 'string' ? d.action : row.action.slice(3),
        auditAction: row.action,
        ...actor,
      },
    };
  }
  if (row.action === 'console.opened') {
    return {
      event: 'console.opened',
      tenantId: row.tenant_id,
      data: {
        serverId: d.serverId,
        vmid: d.vmid ?? null,
        node: d.node ?? null,
        guestName: d.guestName ?? null,
        kind: d.kind,
        viewOnly: d.viewOnly === true,
        shared: d.shared === true,
        ...actor,
      },
    };
  }
  const change = MEMBER_CHANGES[row.action];
  if (change) {
    return {
      event: 'member.changed',
      tenantId: row.tenant_id,
      data: { change, userId: row.target_id, memberLabel: d.email ?? null, role: d.role ?? d.to ?? null, ...actor },
    };
  }
  return null;
}

/** Writes outbox events; the audit service calls `fromAudit` for every row it writes. */
export class AlertOutbox {
  private readonly repo = new AlertsRepo();

  constructor(private readonly clock: Clock) {}

  async enqueue(db: Executor, e: { tenantId: string | null; event: string; data: Record<string, unknown> }) {
    await this.repo.insertOutbox(db, {
      id: newId(),
      tenant_id: e.tenantId,
      event: e.event,
      data: JSON.stringify(e.data),
      occurred_at: this.clock.now(),
      dispatched_at: null,
    });
  }

  /** Inside the transaction that writes `row`. */
  fromAudit = async (trx: Transaction<Database>, row: AuditRow): Promise<void> => {
    const e = auditEvent(row);
    if (e) await this.enqueue(trx, e);
  };
}

/** Server alerts: their state kept in step with the servers' stored status. */
export class ServerAlerts {
  private readonly repo = new AlertsRepo();

  constructor(
    private readonly d: {
      db: Kysely<Database>;
      dialect: Dialect;
      clock: Clock;
      settings: TenantSettingsReader;
      servers: Pick<ServerDirectory, 'statuses'>;
      outbox: AlertOutbox;
    },
  ) {}

  private enqueue(db: Executor, e: { tenantId: string | null; event: string; data: Record<string, unknown> }) {
    return this.d.outbox.enqueue(db, e);
  }

  /** Brings every server's alert state up to date with its stored status; returns events raised. */
  async reconcile(): Promise<number> {
    const alerts = await this.repo.serverAlerts(this.d.db);
    const servers = await this.d.servers.statuses(
      ALERT_STATUSES,
      alerts.map((a) => a.server_id),
    );
    const byId = new Map(servers.map((s) => [s.id, s]));
    const known = new Map(alerts.map((a) => [a.server_id, a]));
    let raised = 0;
    for (const s of servers) {
      const event = s.active ? STATUS_EVENTS[s.status as ServerStatus] : undefined;
      const alert = known.get(s.id);
      if (event && !alert) raised += await this.open(s.id, s.tenantId, s.name, event, s.since, s.error);
    }
    for (const a of alerts) {
      const s = byId.get(a.server_id);
      const event = s?.active ? STATUS_EVENTS[s.status as ServerStatus] : undefined;
      raised += await this.advance(a, s ? { ...s, event } : null);
    }
    return raised;
  }

  private async windowMs(tenantId: string, event: string): Promise<number> {
    if (event !== 'server.offline') return 0;
    return (await this.d.settings.get(tenantId)).alertOfflineAfterSeconds * 1000;
  }

  private async open(
    serverId: string,
    tenantId: string,
    name: string,
    event: string,
    since: number | null,
    error: string | null,
  ): Promise<number> {
    const now = this.d.clock.now();
    const start = since ?? now;
    const fire = start + (await this.windowMs(tenantId, event)) <= now;
    return this.inTx(serverId, async (trx) => {
      const row: ServerAlertRow = {
        server_id: serverId,
        tenant_id: tenantId,
        name,
        kind: event,
        state: fire ? 'firing' : 'pending',
        since: start,
        fired_at: fire ? now : null,
        resolving_since: null,
        flaps: 0,
        error,
      };
      if (!(await this.repo.openServerAlert(trx, row))) return 0;
      if (fire) await this.enqueue(trx, { tenantId, event, data: alertData(row) });
      return fire ? 1 : 0;
    });
  }

  /** One step of a server's alert, given the server now (null: deleted). */
  private async advance(
    a: ServerAlertRow,
    s: { tenantId: string; name: string; since: number | null; error: string | null; event: string | undefined } | null,
  ): Promise<number> {
    const now = this.d.clock.now();
    const from = { state: a.state, kind: a.kind };
    const down = s?.event;
    // Read before the transaction (SQLite has one connection, which the transaction holds), and
    // only where a window is running.
    const windowMs = a.state === 'pending' ? await this.windowMs(a.tenant_id, a.kind) : 0;
    return this.inTx(a.server_id, async (trx) => {
      if (!s || (a.state === 'pending' && !down)) {
        // Gone, or back before its window ended: nothing was said, nothing to close.
        await this.repo.closeServerAlert(trx, a.server_id, a.state);
        return 0;
      }
      if (a.state === 'pending') {
        if (!down) return 0;
        if (down !== a.kind) {
          // Another problem now: its own window starts.
          await this.repo.moveServerAlert(trx, a.server_id, from, {
            kind: down,
            since: s.since ?? now,
            error: s.error,
          });
          return 0;
        }
        if (Number(a.since) + windowMs > now) return 0;
        if (!(await this.repo.moveServerAlert(trx, a.server_id, from, { state: 'firing', fired_at: now }))) return 0;
        await this.enqueue(trx, { tenantId: a.tenant_id, event: a.kind, data: alertData({ ...a, error: s.error }) });
        return 1;
      }
      if (a.state === 'firing') {
        if (!down) {
          await this.repo.moveServerAlert(trx, a.server_id, from, {
            state: 'resolving',
            resolving_since: s.since ?? now,
          });
          return 0;
        }
        if (down === a.kind) return 0;
        // A different problem while alerting (offline → certificate changed): say so.
        if (!(await this.repo.moveServerAlert(trx, a.server_id, from, { kind: down, error: s.error }))) return 0;
        await this.enqueue(trx, {
          tenantId: a.tenant_id,
          event: down,
          data: alertData({ ...a, kind: down, error: s.error }),
        });
        return 1;
      }
      // resolving
      if (down === a.kind) {
        // The same problem again while settling: a flap, folded into the open alert.
        await this.repo.moveServerAlert(trx, a.server_id, from, {
          state: 'firing',
          resolving_since: null,
          flaps: a.flaps + 1,
        });
        return 0;
      }
      if (down) {
        // Another problem: said at once, as its own alert.
        const moved = { state: 'firing', resolving_since: null, kind: down, error: s.error };
        if (!(await this.repo.moveServerAlert(trx, a.server_id, from, moved))) return 0;
        await this.enqueue(trx, { tenantId: a.tenant_id, event: down, data: alertData({ ...a, ...moved }) });
        return 1;
      }
      if (Number(a.resolving_since ?? now) + SETTLE_MS > now) return 0;
      if (!(await this.repo.closeServerAlert(trx, a.server_id, 'resolving'))) return 0;
      await this.enqueue(trx, {
        tenantId: a.tenant_id,
        event: 'server.online',
        data: {
          serverId: a.server_id,
          serverName: s.name,
          problem: a.kind,
          downSeconds: Math.round((Number(a.resolving_since ?? now) - Number(a.since)) / 1000),
          flaps: a.flaps,
        },
      });
      return 1;
    });
  }

  private inTx(serverId: string, fn: (trx: Transaction<Database>) => Promise<number>): Promise<number> {
    return this.d.db.transaction().execute(async (trx) => {
      await lockNamed(trx, this.d.dialect, `server-alert:${serverId}`);
      return fn(trx);
    });
  }
}

function alertData(a: ServerAlertRow): Record<string, unknown> {
  return {
    serverId: a.server_id,
    serverName: a.name,
    error: a.error,
    since: new Date(Number(a.since)).toISOString(),
  };
}
