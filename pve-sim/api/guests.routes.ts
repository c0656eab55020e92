// /nodes/{node}/qemu and /nodes/{node}/lxc: guest lists, the per-guest directory, status/current,
// config, rrddata and the power actions, declared once per guest type.
import { P, type ParamSchemas } from '../http/param-schema';
import { type ApiContext, indexEntries, type RouteDef } from '../http/route-table';
import { guestRrd, type RrdTimeframe } from '../model/figures';
import type { GuestType } from '../model/sim-guest';
import { consoleRoutes } from './console.routes';
import { loadGuest } from './guest-lookup';
import { LXC_ACTIONS, type PowerAction, powerAction, QEMU_ACTIONS } from './power-actions';
import { guestListEntry, guestStatus } from './presenters';

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
      statestorage: { type: 'string', optional: 1, format: 'pve-storage-id' },
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

function guestConfig(ctx: ApiContext, type: GuestType) {
  const guest = loadGuest(ctx, type);
  const memoryMiB = Math.round(guest.maxmem / 1024 ** 2);
  const diskGiB = Math.round(guest.maxdisk / 1024 ** 3);
  const config: Record<string, unknown> = {
    digest: `${guest.seed.toString(16).padStart(8, '0')}${'0'.repeat(32)}`,
    cores: guest.cpus,
  };
  if (type === 'qemu') {
    Object.assign(config, {
      memory: String(memoryMiB),
      sockets: 1,
      ostype: 'l26',
      scsihw: 'virtio-scsi-single',
      scsi0: `local-lvm:vm-${guest.vmid}-disk-0,iothread=1,size=${diskGiB}G`,
      net0: `virtio=BC:24:11:${hexByte(guest.seed)}:${hexByte(guest.seed >> 8)}:${hexByte(guest.seed >> 16)},bridge=vmbr0`,
      boot: 'order=scsi0;net0',
      vmgenid: '3c4b7f1e-0d2a-4b8e-9f6a-1c2d3e4f5a6b',
      smbios1: 'uuid=6f1c2b3a-4d5e-6f70-8192-a3b4c5d6e7f8',
      meta: 'creation-qemu=10.1.2,ctime=1760000000',
    });
    if (guest.name !== undefined) config.name = guest.name;
    if (guest.agent) config.agent = '1';
  } else {
    Object.assign(config, {
      memory: memoryMiB,
      swap: 512,
      ostype: 'debian',
      arch: 'amd64',
      rootfs: `local-lvm:vm-${guest.vmid}-disk-0,size=${diskGiB}G`,
      net0: `name=eth0,bridge=vmbr0,hwaddr=BC:24:11:${hexByte(guest.seed)}:${hexByte(guest.seed >> 8)}:${hexByte(guest.seed >> 16)},ip=dhcp,type=veth`,
      unprivileged: 1,
    });
    if (guest.name !== undefined) config.hostname = guest.name;
  }
  if (guest.description !== undefined) config.description = guest.description;
  if (guest.tags.length > 0) config.tags = guest.tags.join(';');
  if (guest.template) config.template = 1;
  if (guest.lock !== undefined) config.lock = guest.lock;
  return config;
}

function hexByte(n: number): string {
  return (n & 0xff).toString(16).toUpperCase().padStart(2, '0');
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
            snapshot: { type: 'string', optional: 1, maxLength: 40, format: 'pve-configid' },
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
    ...consoleRoutes(type),
  ];
}
