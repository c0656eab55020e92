// /nodes/{node}/qemu and /nodes/{node}/lxc: guest lists, the per-guest directory, status/current,
// config, rrddata and the power actions, declared once per guest type.
import { P, type ParamSchemas } from '../http/param-schema';
import { paramError } from '../http/pve-error';
import { type ApiContext, indexEntries, type RouteDef } from '../http/route-table';
import { guestRrd, type RrdTimeframe } from '../model/figures';
import type { GuestType } from '../model/sim-guest';
import { consoleRoutes } from './console.routes';
import { loadGuest } from './guest-lookup';
import { agentRoutes, containerNetworkRoutes } from './guest-network.routes';
import { LXC_ACTIONS, type PowerAction, powerAction, QEMU_ACTIONS } from './power-actions';
import { currentConfig, guestListEntry, guestStatus, snapshotConfig } from './presenters';
import { findSnapshot } from './snapshot-actions';
import { snapshotRoutes } from './snapshots.routes';

const ids = { node: P.node, vmid: P.vmid } as const;
const skiplock = { skiplock: P.optBool } as const;

/** Parameters of each action, as apidata.json declares them. */
const ACTION_PARAMS: Record<GuestType, Partial<Record<PowerAction, ParamSchemas>>> = {
  qemu: {
    start: {
      ...ids,
      ...skiplock,
      'force-cpu': P.optString,
      machine: P.optString,
      migratedfrom: { type: 'string', optional: 1, format: 'pve-node' },
      migration_network: { type: 'string', optional: 1, format: 'CIDR' },
      migration_type: { type: 'string', optional: 1, enum: ['secure', 'insecure'] },
      'nets-host-mtu': { type: 'string', optional: 1, pattern: 'net\\d+=\\d+(,net\\d+=\\d+)*' },
      stateuri: { type: 'string', optional: 1, maxLength: 128 },
      targetstorage: { type: 'string', optional: 1, format: 'storage-pair-list' },
      timeout: P.optTimeout,
      'with-conntrack-state': { type: 'boolean', optional: 1, default: 0 },
    },
    stop: {
      ...ids,
      ...skiplock,
      keepActive: { type: 'boolean', optional: 1, default: 0 },
      migratedfrom: { type: 'string', optional: 1, format: 'pve-node' },
      'overrule-shutdown': { type: 'boolean', optional: 1, default: 0 },
      timeout: P.optTimeout,
    },
    shutdown: {
      ...ids,
      ...skiplock,
      forceStop: { type: 'boolean', optional: 1, default: 0 },
      keepActive: { type: 'boolean', optional: 1, default: 0 },
      timeout: P.optTimeout,
    },
    reboot: { ...ids, timeout: P.optTimeout },
    reset: { ...ids, ...skiplock },
    suspend: {
      ...ids,
      ...skiplock,
      statestorage: { type: 'string', optional: 1, format: 'pve-storage-id', requires: 'todisk' },
      todisk: { type: 'boolean', optional: 1, default: 0 },
    },
    resume: { ...ids, ...skiplock, nocheck: P.optBool },
  },
  lxc: {
    start: { ...ids, ...skiplock, debug: { type: 'boolean', optional: 1, default: 0 } },
    stop: { ...ids, ...skiplock, 'overrule-shutdown': { type: 'boolean', optional: 1, default: 0 } },
    shutdown: {
      ...ids,
      forceStop: { type: 'boolean', optional: 1, default: 0 },
      timeout: { type: 'integer', optional: 1, minimum: 0, default: 60 },
    },
    reboot: { ...ids, timeout: P.optTimeout },
    suspend: { ...ids },
    resume: { ...ids },
  },
};

function guestList({ params, auth, cluster }: ApiContext, type: GuestType) {
  const now = cluster.now();
  return cluster
    .guestsOn(String(params.node))
    .filter((g) => g.type === type)
    .sort((a, b) => a.vmid - b.vmid)
    .filter((g) => cluster.accounts.permissions(auth, `/vms/${g.vmid}`, g.pool).has('VM.Audit'))
    .map((g) => guestListEntry(g, now, params.full === true));
}

/** GET …/config (vm_config): `snapshot` reads a snapshot's section instead of the current one. */
function guestConfig(ctx: ApiContext, type: GuestType) {
  const { snapshot, current } = ctx.params;
  if (snapshot !== undefined && current === true) {
    const both = "cannot use 'snapshot' parameter with 'current'";
    throw paramError({ snapshot: both, current: both });
  }
  const guest = loadGuest(ctx, type);
  if (snapshot === undefined) return currentConfig(guest);
  return snapshotConfig(guest, findSnapshot(guest, String(snapshot)));
}

export function guestRoutes(type: GuestType): RouteDef[] {
  const base = `/nodes/{node}/${type}/{vmid}`;
  const actions: readonly PowerAction[] = type === 'qemu' ? QEMU_ACTIONS : LXC_ACTIONS;
  const dirIndex = (ctx: ApiContext) => {
    loadGuest(ctx, type);
    return indexEntries('subdir', ctx.children);
  };
  return [
    {
      path: `/nodes/{node}/${type}`,
      methods: {
        GET: {
          name: 'vmlist',
          params: type === 'qemu' ? { full: P.optBool, node: P.node } : { node: P.node },
          permissions: { user: 'all' },
          proxyto: 'node',
          handler: (ctx) => guestList(ctx, type),
        },
      },
    },
    {
      path: base,
      index: 'subdir',
      methods: {
        GET: { name: 'vmdiridx', params: ids, permissions: { user: 'all' }, proxyto: 'node', handler: dirIndex },
      },
    },
    {
      path: `${base}/config`,
      methods: {
        GET: {
          name: 'vm_config',
          params: {
            ...ids,
            current: { type: 'boolean', optional: 1, default: 0 },
            snapshot: { ...P.snapname, optional: 1 },
          },
          permissions: { check: ['/vms/{vmid}', ['VM.Audit']] },
          proxyto: 'node',
          handler: (ctx) => guestConfig(ctx, type),
        },
      },
    },
    {
      path: `${base}/status`,
      index: 'subdir',
      methods: {
        GET: { name: 'vmcmdidx', params: ids, permissions: { user: 'all' }, proxyto: 'node', handler: dirIndex },
      },
    },
    {
      path: `${base}/status/current`,
      methods: {
        GET: {
          name: 'vm_status',
          params: ids,
          permissions: { check: ['/vms/{vmid}', ['VM.Audit']] },
          proxyto: 'node',
          handler: (ctx) => guestStatus(loadGuest(ctx, type), ctx.cluster.now()),
        },
      },
    },
    ...actions.map(
      (action): RouteDef => ({
        path: `${base}/status/${action}`,
        methods: {
          POST: {
            name: `vm_${action}`,
            params: ACTION_PARAMS[type][action] ?? ids,
            permissions: { check: ['/vms/{vmid}', ['VM.PowerMgmt']] },
            proxyto: 'node',
            handler: (ctx) => powerAction(ctx, type, action),
          },
        },
      }),
    ),
    {
      path: `${base}/rrddata`,
      methods: {
        GET: {
          name: 'rrddata',
          params: {
            ...ids,
            cf: { type: 'string', optional: 1, enum: ['AVERAGE', 'MAX'] },
            timeframe: { type: 'string', enum: ['hour', 'day', 'week', 'month', 'year'] },
          },
          permissions: { check: ['/vms/{vmid}', ['VM.Audit']] },
          // RRD data is cluster-wide (pmxcfs), so an offline node's guests still have history.
          handler: (ctx) => {
            const guest = loadGuest(ctx, type);
            const cf = ctx.params.cf === 'MAX' ? 'MAX' : 'AVERAGE';
            return guestRrd(guest, ctx.params.timeframe as RrdTimeframe, cf, ctx.cluster.now());
          },
        },
      },
    },
    ...snapshotRoutes(type),
    ...(type === 'qemu' ? agentRoutes : containerNetworkRoutes),
    ...consoleRoutes(type),
  ];
}
