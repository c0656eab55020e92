// One guest's status, power actions with their tasks followed to the end, resource history, node
// figures and task status. The list across servers is guest-list.service.ts; where a guest lives
// is guest-locator.ts. Every Proxmox call goes through the servers module's connections.

import {
  type GuestDetail,
  type NodeInfo,
  parseUpid,
  type RrdData,
  type RrdQuery,
  type ServerNodes,
  type ServerStorages,
  type TaskStatus,
  type VmAction,
  type VmActionResult,
} from '@common/schemas/vms';
import { z } from 'zod';
import type { TenantContext } from '../../http/context';
import { AppError, isAppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { cleanText, type ProxmoxConnection, pvePath } from '../../proxmox';
import type { EventHub } from '../../realtime/hub';
import type { AuditService } from '../audit/audit.service';
import type { InventoryServer, ServerDirectory } from '../servers/server-directory';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { type GuestLocator, reasonOf, unusableList } from './guest-locator';
import { flag, type InventoryGuest, nodeName, num, text, usage } from './guest-normalize';
import { iso, presentGuest } from './inventory.presenter';
import { NOT_APPLICABLE_PVE, whyNotApplicable } from './power-rules';
import { type CacheTiming, DEFAULT_CACHE_TIMING } from './resource-cache';
import { downsample, normalizeRrd } from './rrd';
import {
  DEFAULT_TASK_FOLLOW,
  type FollowedTask,
  PveTaskStatus,
  TaskFollower,
  type TaskFollowOptions,
  type TaskOutcome,
  taskSucceeded,
} from './task-follower';

export interface InventoryOptions {
  cache: CacheTiming;
  tasks: TaskFollowOptions;
  /** A guest missing from a cached list triggers a refresh only when the list is older than this. */
  missRefreshMs: number;
}

export const DEFAULT_INVENTORY_OPTIONS: InventoryOptions = {
  cache: DEFAULT_CACHE_TIMING,
  tasks: DEFAULT_TASK_FOLLOW,
  missRefreshMs: 1_000,
};

/** Defaults with what a caller (tests, benchmarks) overrode, nested timings merged too. */
export function inventoryOptions(opts: Partial<InventoryOptions> = {}): InventoryOptions {
  return {
    ...DEFAULT_INVENTORY_OPTIONS,
    ...opts,
    cache: { ...DEFAULT_INVENTORY_OPTIONS.cache, ...opts.cache },
    tasks: { ...DEFAULT_INVENTORY_OPTIONS.tasks, ...opts.tasks },
  };
}

export interface InventoryDeps {
  servers: ServerDirectory;
  locator: GuestLocator;
  settings: Pick<TenantSettingsReader, 'get'>;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
  log: Logger;
}

const AnyObject = z.looseObject({});
const Upid = z.string().max(400);

export class InventoryService {
  readonly tasks: TaskFollower;

  constructor(
    private readonly d: InventoryDeps,
    tasks: TaskFollowOptions,
  ) {
    this.tasks = new TaskFollower(
      {
        connect: (tenantId, serverId) => d.servers.connect(tenantId, serverId),
        onFinished: (task, outcome) => this.taskFinished(task, outcome),
        log: d.log,
      },
      tasks,
    );
  }

  close(): void {
    this.tasks.close();
  }

  // --- one guest -----------------------------------------------------------------------------

  private async readCurrent(conn: ProxmoxConnection, g: InventoryGuest): Promise<Record<string, unknown>> {
    return conn.get(pvePath`/nodes/${g.node}/${g.type}/${g.vmid}/status/current`, undefined, { schema: AnyObject });
  }

  /** The state status/current reports: QMP state for QEMU, running/stopped for containers. */
  private statusFrom(g: InventoryGuest, cur: Record<string, unknown>): string {
    const plain = text(cur.status, 32) ?? 'unknown';
    return g.type === 'qemu' && plain !== 'stopped' ? (text(cur.qmpstatus, 32) ?? plain) : plain;
  }

  async guest(ctx: TenantContext, serverId: string, vmid: number): Promise<GuestDetail> {
    const tenantId = ctx.scope.tenantId;
    const server = await this.d.locator.requireServer(tenantId, serverId, 'vm.not_found');
    const settings = await this.d.settings.get(tenantId);
    return this.d.locator.onGuest(server, vmid, async (conn, g) => {
      const cur = await this.readCurrent(conn, g);
      const status = this.statusFrom(g, cur);
      const ha = cur.ha && typeof cur.ha === 'object' ? (cur.ha as Record<string, unknown>) : {};
      const merged: InventoryGuest = {
        ...g,
        name: text(cur.name, 128) ?? g.name,
        status,
        cpu: num(cur.cpu),
        maxcpu: num(cur.cpus) ?? num(cur.maxcpu) ?? g.maxcpu,
        mem: num(cur.mem),
        maxmem: num(cur.maxmem) ?? g.maxmem,
        disk: num(cur.disk),
        maxdisk: num(cur.maxdisk) ?? g.maxdisk,
        uptime: num(cur.uptime),
        lock: cur.lock === undefined ? null : text(cur.lock, 32),
        nodeOffline: false,
      };
      this.d.locator.cache.patchGuest(server.id, vmid, {
        status,
        cpu: merged.cpu,
        mem: merged.mem,
        uptime: merged.uptime,
        lock: merged.lock,
        nodeOffline: false,
      });
      return {
        ...presentGuest(ctx, settings, merged),
        qmpstatus: g.type === 'qemu' ? text(cur.qmpstatus, 32) : null,
        defaultConsole: settings.defaultConsole[g.type],
        ha: { managed: flag(ha.managed), state: text(ha.state, 32) },
        agent: flag(cur.agent),
        cpus: num(cur.cpus),
        netin: num(cur.netin),
        netout: num(cur.netout),
        diskread: num(cur.diskread),
        diskwrite: num(cur.diskwrite),
        pid: num(cur.pid),
        fetchedAt: iso(this.d.clock.now()),
      };
    });
  }

  // --- power actions -------------------------------------------------------------------------

  /** The guest's state: from the cache while it is fresh, else from status/current. */
  private async knownState(conn: ProxmoxConnection, server: InventoryServer, g: InventoryGuest, afresh = false) {
    if (!afresh && this.d.locator.cache.isFresh(server.id) && !g.nodeOffline) {
      return { type: g.type, status: g.status, template: g.template };
    }
    const cur = await this.readCurrent(conn, g);
    const status = this.statusFrom(g, cur);
    this.d.locator.cache.patchGuest(server.id, g.vmid, { status, nodeOffline: false });
    return { type: g.type, status, template: flag(cur.template) || g.template };
  }

  async action(ctx: TenantContext, serverId: string, vmid: number, action: VmAction): Promise<VmActionResult> {
    const tenantId = ctx.scope.tenantId;
    const server = await this.d.locator.requireServer(tenantId, serverId, 'vm.not_found');
    const audit = (result: 'success' | 'failure', details: Record<string, unknown>) =>
      this.d.audit.recordAlone(ctx.audit, {
        tenantId,
        action: 'vm.power',
        targetType: 'vm',
        targetId: `${serverId}:${vmid}`,
        result,
        details: { action, serverId, serverName: server.name, vmid, ...details },
      });
    let started: { upid: string; guest: InventoryGuest };
    try {
      started = await this.d.locator.onGuest(server, vmid, async (conn, g) => {
        let state = await this.knownState(conn, server, g);
        // A refusal is never based on a list seconds old (the guest may have stopped by itself).
        if (whyNotApplicable(action, state)) state = await this.knownState(conn, server, g, true);
        const why = whyNotApplicable(action, state);
        if (why) {
          throw new AppError('vm.action_not_applicable', why, {
            details: { action, status: state.status, type: state.type },
          });
        }
        try {
          const upid = await conn.post(pvePath`/nodes/${g.node}/${g.type}/${vmid}/status/${action}`, undefined, {
            schema: Upid,
          });
          return { upid, guest: g };
        } catch (err) {
          // PVE's own immediate refusals ("CT 101 already running") are the same 409.
          if (
            isAppError(err) &&
            err.code === 'proxmox.error' &&
            NOT_APPLICABLE_PVE.some((re) => re.test(reasonOf(err)))
          ) {
            throw new AppError('vm.action_not_applicable', `Proxmox refused: ${reasonOf(err)}`, {
              details: { action, reason: reasonOf(err) },
            });
          }
          throw err;
        }
      });
      if (!parseUpid(started.upid)) {
        throw new AppError('proxmox.bad_response', 'Proxmox answered the action without a task id');
      }
    } catch (err) {
      await audit('failure', {
        error: isAppError(err) ? err.code : 'http.internal',
        message: isAppError(err) ? err.message : null,
      });
      throw err;
    }
    const { upid, guest } = started;
    const node = parseUpid(upid)?.node ?? guest.node;
    // The state is about to change: the next read (or action) asks Proxmox again.
    this.d.locator.cache.invalidate(serverId);
    await audit('success', { upid, node: guest.node, type: guest.type, guestName: guest.name });
    await this.d.hub.publishTenant({
      type: 'vm.action',
      tenantId,
      at: iso(this.d.clock.now()),
      serverId,
      vmid,
      action,
      upid,
      actorUserId: ctx.actor.userId,
    });
    this.tasks.follow({ tenantId, serverId, vmid, node, upid, type: guest.type });
    return { upid, status: 'running' };
  }

  private async taskFinished(task: FollowedTask, outcome: TaskOutcome): Promise<void> {
    let guestStatus: string | null = null;
    if (task.vmid !== null && task.type) {
      try {
        const conn = await this.d.servers.connect(task.tenantId, task.serverId);
        const g = { node: task.node, type: task.type, vmid: task.vmid } as InventoryGuest;
        guestStatus = this.statusFrom(g, await this.readCurrent(conn, g));
        this.d.locator.cache.patchGuest(task.serverId, task.vmid, { status: guestStatus, nodeOffline: false });
      } catch (err) {
        if (!isAppError(err)) this.d.log.warn({ err, upid: task.upid }, 'could not read the guest after its task');
      }
    }
    this.d.locator.cache.invalidate(task.serverId);
    const at = iso(this.d.clock.now());
    await this.d.hub.publishTenant({
      type: 'task.finished',
      tenantId: task.tenantId,
      at,
      serverId: task.serverId,
      vmid: task.vmid,
      upid: task.upid,
      ok: outcome.ok,
      exitstatus: outcome.exitstatus,
      guestStatus,
    });
    if (guestStatus !== null && task.vmid !== null) {
      await this.d.hub.publishTenant({
        type: 'vm.status',
        tenantId: task.tenantId,
        at,
        serverId: task.serverId,
        vmid: task.vmid,
        status: guestStatus,
      });
    }
  }

  // --- history, nodes, tasks -----------------------------------------------------------------

  async rrd(ctx: TenantContext, serverId: string, vmid: number, query: RrdQuery): Promise<RrdData> {
    const server = await this.d.locator.requireServer(ctx.scope.tenantId, serverId, 'vm.not_found');
    const raw = await this.d.locator.onGuest(server, vmid, (conn, g) =>
      conn.get(
        pvePath`/nodes/${g.node}/${g.type}/${vmid}/rrddata`,
        { timeframe: query.timeframe, cf: query.cf },
        { schema: z.array(z.unknown()).max(10_000) },
      ),
    );
    const points = downsample(normalizeRrd(raw), query.points, query.cf);
    return { timeframe: query.timeframe, cf: query.cf, points };
  }

  async nodes(ctx: TenantContext, serverId: string): Promise<ServerNodes> {
    const server = await this.d.locator.requireServer(ctx.scope.tenantId, serverId, 'server.not_found');
    const conn = await this.d.servers.connect(server.tenantId, server.id);
    const raw = await conn.get(pvePath`/nodes`, undefined, { schema: z.array(z.looseObject({})).max(1000) });
    const nodes: NodeInfo[] = [];
    for (const entry of raw) {
      const node = nodeName(entry.node);
      if (!node) continue;
      const status = entry.status === 'online' || entry.status === 'offline' ? entry.status : 'unknown';
      nodes.push({ node, status, ...usage(entry), version: null });
    }
    // Every Proxmox server has a node: entries of which none is one are not Proxmox's answer.
    if (nodes.length === 0 && raw.length > 0) throw unusableList('node', raw.length);
    nodes.sort((a, b) => a.node.localeCompare(b.node));
    await Promise.all(
      nodes
        .filter((n) => n.status === 'online')
        .map(async (n) => {
          const v = await conn
            .get(pvePath`/nodes/${n.node}/version`, undefined, { schema: AnyObject, metric: false })
            .catch(() => null);
          n.version = v ? text(v.version, 32) : null;
        }),
    );
    return { nodes, fetchedAt: iso(this.d.clock.now()) };
  }

  /** Every node's storages with usage (tenant admins and managers: the nodes and storage page). */
  async storages(ctx: TenantContext, serverId: string): Promise<ServerStorages> {
    const { nodes } = await this.nodes(ctx, serverId);
    const conn = await this.d.servers.connect(ctx.scope.tenantId, serverId);
    const out: ServerStorages = { storages: [], unreadable: [] };
    await Promise.all(
      nodes.map(async ({ node, status }) => {
        if (status !== 'online') {
          out.unreadable.push({ node, message: `Node ${node} is ${status}` });
          return;
        }
        try {
          const list = await conn.get(pvePath`/nodes/${node}/storage`, undefined, {
            schema: z.array(z.looseObject({})).max(1000),
          });
          for (const s of list) {
            const storage = text(s.storage, 64);
            if (!storage) continue;
            out.storages.push({
              node,
              storage,
              type: text(s.type, 32),
              content: (text(s.content, 200) ?? '').split(',').filter(Boolean),
              total: num(s.total),
              used: num(s.used),
              avail: num(s.avail),
              shared: flag(s.shared),
              active: s.active === undefined ? true : flag(s.active),
            });
          }
        } catch (err) {
          if (!isAppError(err)) throw err;
          out.unreadable.push({ node, message: err.message });
        }
      }),
    );
    out.storages.sort((a, b) => a.node.localeCompare(b.node) || a.storage.localeCompare(b.storage));
    return out;
  }

  /** A task of this server; restricted members only see tasks of guests they may see. */
  async task(ctx: TenantContext, serverId: string, upid: string): Promise<TaskStatus> {
    // The node comes from the UPID itself: tasks are read where they ran.
    const { parsed, raw } = await this.d.locator.onTask(ctx, serverId, upid, async (conn, parsed) => ({
      parsed,
      raw: await conn.get(pvePath`/nodes/${parsed.node}/tasks/${upid}/status`, undefined, { schema: PveTaskStatus }),
    }));
    const stopped = raw.status === 'stopped';
    const exitstatus = stopped ? cleanText(raw.exitstatus, 500) || 'unknown' : null;
    return {
      upid,
      node: parsed.node,
      type: parsed.type,
      id: parsed.id,
      user: parsed.user,
      status: stopped ? 'stopped' : 'running',
      exitstatus,
      ok: exitstatus === null ? null : taskSucceeded(exitstatus),
      starttime: iso(parsed.starttime * 1000),
    };
  }
}
