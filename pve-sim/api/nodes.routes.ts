// /nodes: the node list (with each node's TLS fingerprint), the node index, node status and
// version, and worker tasks (list, status, log) — a task is read on the node that ran it.
import { P } from '../http/param-schema';
import { paramError, permissionError } from '../http/pve-error';
import { type ApiContext, indexEntries, type RouteDef, WithTotal } from '../http/route-table';
import type { AuthId } from '../model/accounts';
import { nodeFigures } from '../model/figures';
import { parseUpid, type TaskRecord } from '../model/tasks';
import { nodeSummary } from './presenters';
import { PVE_VERSION } from './root.routes';

const GiB = 1024 ** 3;

function nodeStatus({ params, cluster }: ApiContext) {
  const node = cluster.nodes.get(String(params.node));
  if (!node) return null;
  const f = nodeFigures(node, cluster.guestsOn(node.name), cluster.now());
  return {
    uptime: f.uptime,
    cpu: f.cpu,
    wait: 0.0012,
    idle: 0,
    loadavg: f.loadavg,
    cpuinfo: {
      model: 'Simulated CPU @ 3.00GHz',
      cores: Math.max(1, node.cpus / 2),
      cpus: node.cpus,
      sockets: 1,
      mhz: '3000.000',
      hvm: '1',
      flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep',
      user_hz: 100,
    },
    memory: { total: node.memory, used: f.mem, free: node.memory - f.mem, available: node.memory - f.mem },
    swap: { total: 8 * GiB, used: 0, free: 8 * GiB },
    rootfs: { total: node.disk, used: f.disk, free: node.disk - f.disk, avail: node.disk - f.disk },
    ksm: { shared: 0 },
    kversion: 'Linux 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2026-01-10T12:00Z) x86_64',
    'current-kernel': {
      sysname: 'Linux',
      release: '6.17.2-1-pve',
      version: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2026-01-10T12:00Z)',
      machine: 'x86_64',
    },
    'boot-info': { mode: 'efi', secureboot: 0 },
    pveversion: `pve-manager/${PVE_VERSION.version}/${PVE_VERSION.repoid}`,
  };
}

/** The task owner sees it; anyone else needs Sys.Audit on the node. */
function canSeeTask(ctx: ApiContext, auth: AuthId, task: TaskRecord): boolean {
  if (task.user === auth.authid || (auth.token === null && task.user.startsWith(`${auth.userid}!`))) return true;
  return ctx.cluster.accounts.permissions(auth, `/nodes/${task.node}`).has('Sys.Audit');
}

function findTask(ctx: ApiContext): TaskRecord {
  const upid = String(ctx.params.upid);
  if (!parseUpid(upid)) throw paramError({ upid: 'unable to parse worker upid' });
  const task = ctx.cluster.tasks.get(upid);
  if (!task || task.node !== ctx.params.node) throw paramError({ upid: 'no such task' });
  if (!canSeeTask(ctx, ctx.auth, task)) throw permissionError(`/nodes/${task.node}`, ['Sys.Audit']);
  return task;
}

function taskListEntry(task: TaskRecord): Record<string, unknown> {
  const { log: _, exitstatus, status, ...rest } = task;
  return status === 'stopped' ? { ...rest, status: exitstatus } : rest;
}

function nodeTasks(ctx: ApiContext) {
  const p = ctx.params;
  const source = p.source ?? 'archive';
  const statuses = p.statusfilter === undefined ? null : String(p.statusfilter).split(/[,;\s]+/);
  const tasks = ctx.cluster.tasks.list(String(p.node)).filter((t) => {
    if (!canSeeTask(ctx, ctx.auth, t)) return false;
    if (source === 'archive' && t.status === 'running') return false;
    if (source === 'active' && t.status !== 'running') return false;
    if (p.vmid !== undefined && t.id !== String(p.vmid)) return false;
    if (p.typefilter !== undefined && t.type !== p.typefilter) return false;
    if (p.userfilter !== undefined && !t.user.includes(String(p.userfilter))) return false;
    if (p.errors === true && (t.exitstatus === 'OK' || t.status === 'running')) return false;
    if (p.since !== undefined && t.starttime < Number(p.since)) return false;
    if (p.until !== undefined && t.starttime > Number(p.until)) return false;
    if (statuses) {
      const kind =
        t.status === 'running'
          ? 'unknown'
          : t.exitstatus === 'OK'
            ? 'ok'
            : t.exitstatus?.startsWith('WARNINGS')
              ? 'warning'
              : 'error';
      if (!statuses.includes(kind)) return false;
    }
    return true;
  });
  const start = Number(p.start ?? 0);
  const limit = Number(p.limit ?? 50);
  return new WithTotal(tasks.slice(start, start + limit).map(taskListEntry), tasks.length);
}

export const nodeRoutes: RouteDef[] = [
  {
    path: '/nodes',
    methods: {
      GET: {
        name: 'index',
        params: {},
        permissions: { user: 'all' },
        // Every node is listed; figures only with Sys.Audit on it.
        handler: ({ auth, cluster }) => {
          const now = cluster.now();
          return [...cluster.nodes.values()].map((node) => {
            const audit = cluster.accounts.permissions(auth, `/nodes/${node.name}`).has('Sys.Audit');
            const { type: _t, id: _i, ...entry } = nodeSummary(cluster, node, now, audit);
            return entry;
          });
        },
      },
    },
  },
  {
    path: '/nodes/{node}',
    index: 'name',
    methods: {
      GET: {
        name: 'index',
        params: { node: P.node },
        permissions: { user: 'all' },
        handler: (ctx) => indexEntries('name', ctx.children),
      },
    },
  },
  {
    path: '/nodes/{node}/status',
    methods: {
      GET: {
        name: 'status',
        params: { node: P.node },
        permissions: { check: ['/nodes/{node}', ['Sys.Audit']] },
        proxyto: 'node',
        handler: nodeStatus,
      },
    },
  },
  {
    path: '/nodes/{node}/version',
    methods: {
      GET: {
        name: 'version',
        params: { node: P.node },
        permissions: { user: 'all' },
        proxyto: 'node',
        handler: () => ({ ...PVE_VERSION }),
      },
    },
  },
  {
    path: '/nodes/{node}/tasks',
    methods: {
      GET: {
        name: 'node_tasks',
        params: {
          errors: { type: 'boolean', optional: 1, default: 0 },
          limit: { type: 'integer', optional: 1, minimum: 0, default: 50 },
          node: P.node,
          since: { type: 'integer', optional: 1 },
          source: { type: 'string', optional: 1, enum: ['archive', 'active', 'all'], default: 'archive' },
          start: { type: 'integer', optional: 1, minimum: 0, default: 0 },
          statusfilter: { type: 'string', optional: 1, format: 'pve-task-status-type-list' },
          typefilter: { type: 'string', optional: 1 },
          until: { type: 'integer', optional: 1 },
          userfilter: { type: 'string', optional: 1 },
          vmid: { ...P.vmid, optional: 1 },
        },
        permissions: { user: 'all' },
        proxyto: 'node',
        handler: nodeTasks,
      },
    },
  },
  {
    path: '/nodes/{node}/tasks/{upid}',
    index: 'name',
    methods: {
      GET: {
        name: 'upid_index',
        params: { node: P.node, upid: { type: 'string' } },
        permissions: { user: 'all' },
        handler: (ctx) => indexEntries('name', ctx.children),
      },
    },
  },
  {
    path: '/nodes/{node}/tasks/{upid}/log',
    methods: {
      GET: {
        name: 'read_task_log',
        params: {
          download: P.optBool,
          limit: { type: 'integer', optional: 1, minimum: 0, default: 50 },
          node: P.node,
          start: { type: 'integer', optional: 1, minimum: 0, default: 0 },
          upid: { type: 'string' },
        },
        permissions: { user: 'all' },
        proxyto: 'node',
        handler: (ctx) => {
          const task = findTask(ctx);
          const start = Number(ctx.params.start ?? 0);
          const limit = Number(ctx.params.limit ?? 50);
          const lines = task.log.map((t, i) => ({ n: i + 1, t }));
          return new WithTotal(lines.slice(start, start + limit), lines.length);
        },
      },
    },
  },
  {
    path: '/nodes/{node}/tasks/{upid}/status',
    methods: {
      GET: {
        name: 'read_task_status',
        params: { node: P.node, upid: { type: 'string' } },
        permissions: { user: 'all' },
        proxyto: 'node',
        handler: (ctx) => {
          const { log: _log, endtime: _endtime, ...task } = findTask(ctx);
          return task;
        },
      },
    },
  },
];
