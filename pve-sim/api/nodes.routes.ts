// /nodes: the node list (with each node's TLS fingerprint), the node index, node status and
// version, and worker tasks (list, status, log) — a task is read on the node that ran it.
import { P, splitList } from '../http/param-schema';
import { handlerError, paramError, permissionError } from '../http/pve-error';
import { type ApiContext, indexEntries, type RouteDef, WithTotal } from '../http/route-table';
import type { AuthId } from '../model/accounts';
import { nodeFigures } from '../model/figures';
import { parseUpid, splitTaskUser, type TaskRecord } from '../model/tasks';
import { PVE_KERNEL, PVE_VERSION } from '../model/versions';
import { nodeSummary } from './presenters';

const GiB = 1024 ** 3;

function nodeStatus({ params, cluster }: ApiContext) {
  const node = cluster.nodes.get(String(params.node));
  if (!node) return null;
  const now = cluster.now();
  const f = nodeFigures(node, cluster.guestsOn(node.name), now);
  const rootUsed = cluster.rootfsUsed(node, now);
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
    rootfs: { total: node.disk, used: rootUsed, free: node.disk - rootUsed, avail: node.disk - rootUsed },
    ksm: { shared: 0 },
    kversion: `Linux ${PVE_KERNEL.release} ${PVE_KERNEL.version} x86_64`,
    'current-kernel': { sysname: 'Linux', ...PVE_KERNEL, machine: 'x86_64' },
    'boot-info': { mode: 'efi', secureboot: 0 },
    pveversion: `pve-manager/${PVE_VERSION.version}/${PVE_VERSION.repoid}`,
  };
}

/** PVE::API2::Tasks' check_task_user: a user sees their own and their tokens' tasks, a token only
 * its own; anyone else needs Sys.Audit on the node. */
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

/** PVE::Tools::dump_logfile: lines numbered from 1, `limit` 0 reads to the end, and an empty log
 * reads as one line "no content" (a hack for ExtJS that clients see too). */
function taskLog(log: readonly string[], start: number, limit: number): WithTotal {
  if (log.length === 0) return new WithTotal([{ n: 1, t: 'no content' }], 1);
  const end = limit === 0 ? log.length : start + limit;
  const lines = log.slice(start, end).map((t, i) => ({ n: start + i + 1, t }));
  return new WithTotal(lines, log.length);
}

/** upid_decode's fields; the user of a token's task is split into `user` and `tokenid`. */
function taskFields(task: TaskRecord): Record<string, unknown> {
  const { log: _log, exitstatus: _exit, status: _status, endtime: _end, user, ...rest } = task;
  return { ...rest, ...splitTaskUser(user) };
}

/** upid_normalize_status_type: what `statusfilter` and `errors` match on. A running task has no
 * status yet: `unknown`. */
function statusType(task: TaskRecord): 'ok' | 'warning' | 'error' | 'unknown' {
  if (task.status === 'running' || task.exitstatus === undefined) return 'unknown';
  if (task.exitstatus === 'OK') return 'ok';
  return /^WARNINGS: \d+$/.test(task.exitstatus) ? 'warning' : 'error';
}

/** GET /nodes/{node}/tasks as PVE::API2::Tasks::node_tasks: running tasks (source active|all,
 * status `RUNNING`) before the finished ones (archive|all), each newest first; `total` counts
 * every match, `start`/`limit` page through them. */
function nodeTasks(ctx: ApiContext) {
  const p = ctx.params;
  const source = p.source ?? 'archive';
  const wanted = new Set(['ok', 'warning', 'error', 'unknown']);
  if (p.errors === true) wanted.delete('ok');
  else if (p.statusfilter !== undefined) {
    wanted.clear();
    for (const f of splitList(String(p.statusfilter))) wanted.add(f.toLowerCase());
  }
  const matches = (t: TaskRecord) => {
    if (p.userfilter !== undefined && !t.user.toLowerCase().includes(String(p.userfilter).toLowerCase())) return false;
    if (!canSeeTask(ctx, ctx.auth, t)) return false;
    if (p.typefilter !== undefined && t.type !== p.typefilter) return false;
    if (p.vmid !== undefined && t.id !== String(p.vmid)) return false;
    if (p.since !== undefined && t.starttime < Number(p.since)) return false;
    if (p.until !== undefined && t.starttime > Number(p.until)) return false;
    return wanted.has(statusType(t));
  };
  const all = ctx.cluster.tasks.list(String(p.node));
  const active = source === 'archive' ? [] : all.filter((t) => t.status === 'running');
  const archived = source === 'active' ? [] : all.filter((t) => t.status === 'stopped');
  const tasks = [...active, ...archived].filter(matches);
  const start = Number(p.start ?? 0);
  const limit = Number(p.limit ?? 50);
  const entries = tasks.slice(start, start + limit).map((t) => {
    const entry = taskFields(t);
    if (t.status === 'running') entry.status = 'RUNNING';
    else Object.assign(entry, { endtime: t.endtime, status: t.exitstatus });
    return entry;
  });
  return new WithTotal(entries, tasks.length);
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
          if (ctx.params.download === true && (ctx.params.start !== undefined || ctx.params.limit !== undefined)) {
            throw handlerError("'download' cannot be used together with 'start' or 'limit' parameters");
          }
          return taskLog(task.log, Number(ctx.params.start ?? 0), Number(ctx.params.limit ?? 50));
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
          const task = findTask(ctx);
          const entry = { ...taskFields(task), status: task.status };
          return task.exitstatus === undefined ? entry : { ...entry, exitstatus: task.exitstatus };
        },
      },
    },
  },
];
