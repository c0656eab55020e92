import {
  type GuestHardware,
  type GuestInterfaces,
  type GuestTasks,
  parseUpid,
  type TaskLog,
} from '@common/schemas/vms';
import { z } from 'zod';
import type { TenantContext } from '../../http/context';
import { isAppError } from '../../lib/app-error';
import { cleanText, pvePath } from '../../proxmox';
import { parseHardware, parseInterfaces } from './guest-hardware';
import { type GuestLocator, reasonOf } from './guest-locator';
import { num, text } from './guest-normalize';
import { taskSucceeded } from './task-follower';

const AnyObject = z.looseObject({});
const TaskEntries = z.array(z.looseObject({})).max(1000);
const LogLines = z.array(z.looseObject({ n: z.unknown().optional(), t: z.unknown().optional() })).max(5000);
/** The agent's three refusals (PVE-API.md), said as Proxmox says them. */
const AGENT_REFUSAL = /No QEMU guest agent configured|is not running|QEMU guest agent is not running/i;
export const TASK_LOG_LINES = 2000;
const iso = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString());

export class GuestDetailsService {
  constructor(private readonly d: { locator: GuestLocator }) {}

  async hardware(ctx: TenantContext, serverId: string, vmid: number): Promise<GuestHardware> {
    const server = await this.d.locator.requireServer(ctx.scope.tenantId, serverId, 'vm.not_found');
    return this.d.locator.onGuest(server, vmid, async (conn, g) =>
      parseHardware(
        g.type,
        await conn.get(pvePath`/nodes/${g.node}/${g.type}/${vmid}/config`, undefined, { schema: AnyObject }),
      ),
    );
  }

  async interfaces(ctx: TenantContext, serverId: string, vmid: number): Promise<GuestInterfaces> {
    const server = await this.d.locator.requireServer(ctx.scope.tenantId, serverId, 'vm.not_found');
    return this.d.locator.onGuest(server, vmid, async (conn, g) => {
      if (g.type === 'lxc') {
        const raw = await conn.get(pvePath`/nodes/${g.node}/lxc/${vmid}/interfaces`, undefined, {
          schema: z.unknown(),
        });
        // No PID, no namespace: Proxmox answers null for a container that is not running.
        if (raw === null) return { source: 'lxc', unavailable: 'The container is not running', interfaces: [] };
        return { source: 'lxc', unavailable: null, interfaces: parseInterfaces(raw) };
      }
      try {
        const raw = await conn.get(pvePath`/nodes/${g.node}/qemu/${vmid}/agent/network-get-interfaces`, undefined, {
          schema: z.unknown(),
        });
        return { source: 'agent', unavailable: null, interfaces: parseInterfaces(raw) };
      } catch (err) {
        if (isAppError(err) && err.code === 'proxmox.error' && AGENT_REFUSAL.test(reasonOf(err))) {
          return { source: 'agent', unavailable: cleanText(reasonOf(err), 200), interfaces: [] };
        }
        throw err;
      }
    });
  }

  /** The guest's recent tasks on its node, running ones first, newest first. */
  async tasks(ctx: TenantContext, serverId: string, vmid: number): Promise<GuestTasks> {
    const server = await this.d.locator.requireServer(ctx.scope.tenantId, serverId, 'vm.not_found');
    const raw = await this.d.locator.onGuest(server, vmid, (conn, g) =>
      conn.get(pvePath`/nodes/${g.node}/tasks`, { vmid, source: 'all', limit: 50 }, { schema: TaskEntries }),
    );
    const tasks: GuestTasks['tasks'] = [];
    for (const t of raw) {
      const upid = text(t.upid, 400);
      const parsed = upid ? parseUpid(upid) : null;
      if (!upid || !parsed || parsed.id !== String(vmid)) continue;
      const status = text(t.status, 500);
      const running = status === null || status === 'RUNNING' || num(t.endtime) === null;
      const exitstatus = running ? null : cleanText(status, 500) || 'unknown';
      tasks.push({
        upid,
        type: parsed.type,
        user: parsed.user,
        status: running ? 'running' : 'stopped',
        exitstatus,
        ok: exitstatus === null ? null : taskSucceeded(exitstatus),
        starttime: iso(num(t.starttime) ?? parsed.starttime) ?? '',
        endtime: running ? null : iso(num(t.endtime)),
      });
    }
    tasks.sort(
      (a, b) =>
        Number(b.status === 'running') - Number(a.status === 'running') || b.starttime.localeCompare(a.starttime),
    );
    return { tasks };
  }

  /** A task's log (the first TASK_LOG_LINES lines), for guests the caller may see. */
  async taskLog(ctx: TenantContext, serverId: string, upid: string): Promise<TaskLog> {
    const lines = await this.d.locator.onTask(ctx, serverId, upid, (conn, parsed) =>
      conn.get(
        pvePath`/nodes/${parsed.node}/tasks/${upid}/log`,
        { start: 0, limit: TASK_LOG_LINES + 1 },
        { schema: LogLines },
      ),
    );
    const text = lines.slice(0, TASK_LOG_LINES).map((l) => cleanText(typeof l.t === 'string' ? l.t : '', 2000));
    return { lines: text, total: lines.length, truncated: lines.length > TASK_LOG_LINES };
  }
}
