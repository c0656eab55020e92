// /nodes/{node}/storage…: the node's storages with usage, one storage's directory and status,
// and its content (backup archives, ISO images, templates, guest disks) as pve-storage lists it,
// each volume only for callers who may access it (PVE::Storage::check_volume_access).
import { P, splitList } from '../http/param-schema';
import { handlerError, paramError } from '../http/pve-error';
import { type ApiContext, indexEntries, type RouteDef } from '../http/route-table';
import type { AuthId } from '../model/accounts';
import type { ClusterState, NodeState } from '../model/cluster-state';
import { contentString, findStorage, STORAGES, type StorageDef, type VolumeEntry } from '../model/storage';

const AUDIT_OR_SPACE = ['Datastore.Audit', 'Datastore.AllocateSpace'] as const;

function localNode(ctx: ApiContext): NodeState {
  // proxyto => 'node' has checked that it exists and is online.
  return ctx.cluster.nodes.get(String(ctx.params.node)) as NodeState;
}

/** The formats a storage type offers for new disks (the plugins' `format` plugindata). */
const FORMATS: Record<string, { supported: string[]; default: string }> = {
  dir: { supported: ['qcow2', 'raw', 'subvol', 'vmdk'], default: 'raw' },
  lvmthin: { supported: ['raw', 'subvol'], default: 'raw' },
};

/** PVE::Storage::storage_info's entry for one storage. */
function storageInfo(ctx: ApiContext, def: StorageDef): Record<string, unknown> {
  const { usage } = ctx.cluster.storageState(localNode(ctx), def, ctx.cluster.now());
  return {
    type: def.type,
    content: contentString(def),
    total: usage.total,
    used: usage.used,
    avail: usage.avail,
    shared: def.shared ? 1 : 0,
    active: 1,
    enabled: 1,
  };
}

function mayAudit(ctx: ApiContext, storage: string): boolean {
  const privs = ctx.cluster.accounts.permissions(ctx.auth, `/storage/${storage}`);
  return AUDIT_OR_SPACE.some((p) => privs.has(p));
}

/** GET /nodes/{node}/storage */
function storageIndex(ctx: ApiContext) {
  const { params } = ctx;
  const wanted = params.content === undefined ? null : splitList(String(params.content));
  if (params.storage !== undefined && !findStorage(String(params.storage))) {
    throw paramError({ storage: 'No such storage.' });
  }
  // `target`: storages usable on this node and the target node alike, i.e. shared ones.
  const target = params.target === undefined || params.target === params.node ? null : String(params.target);
  return STORAGES.filter((def) => wanted === null || def.content.some((c) => wanted.includes(c)))
    .filter((def) => mayAudit(ctx, def.storage))
    .filter((def) => params.storage === undefined || params.storage === def.storage)
    .filter((def) => target === null || def.shared)
    .map((def) => {
      const info = storageInfo(ctx, def);
      const entry: Record<string, unknown> = { storage: def.storage, ...info };
      if (Number(info.total) > 0) entry.used_fraction = Number(info.used) / Number(info.total);
      const formats = FORMATS[def.type];
      if (params.format === true && formats) entry.formats = formats;
      return entry;
    });
}

/** check_volume_access, as the content listing applies it to each volume. */
function mayAccess(cluster: ClusterState, auth: AuthId, storage: string, volume: VolumeEntry): boolean {
  const on = (path: string, priv: string, pool?: string) => cluster.accounts.permissions(auth, path, pool).has(priv);
  if (on(`/storage/${storage}`, 'Datastore.Allocate')) return true;
  if (volume.content === 'iso' || volume.content === 'vztmpl') {
    return on(`/storage/${storage}`, 'Datastore.AllocateSpace') || on(`/storage/${storage}`, 'Datastore.Audit');
  }
  if (volume.vmid === undefined) return false;
  const pool = cluster.guests.get(volume.vmid)?.pool;
  if (volume.content === 'backup') {
    return on(`/storage/${storage}`, 'Datastore.AllocateSpace') && on(`/vms/${volume.vmid}`, 'VM.Backup', pool);
  }
  return on(`/storage/${storage}`, 'Datastore.Audit') && on(`/vms/${volume.vmid}`, 'VM.Config.Disk', pool);
}

/** GET /nodes/{node}/storage/{storage}/content */
function storageContent(ctx: ApiContext) {
  const { params, cluster, auth } = ctx;
  const id = String(params.storage);
  const def = findStorage(id);
  if (!def) throw handlerError(`storage '${id}' does not exist`);
  const { volumes } = cluster.storageState(localNode(ctx), def, cluster.now());
  return volumes
    .filter((v) => params.content === undefined || v.content === params.content)
    .filter((v) => params.vmid === undefined || v.vmid === params.vmid)
    .filter((v) => mayAccess(cluster, auth, id, v));
}

export const nodeStorageRoutes: RouteDef[] = [
  {
    path: '/nodes/{node}/storage',
    methods: {
      GET: {
        name: 'index',
        params: {
          content: { type: 'string', optional: 1, format: 'pve-storage-content-list' },
          enabled: { type: 'boolean', optional: 1, default: 0 },
          format: { type: 'boolean', optional: 1, default: 0 },
          node: P.node,
          storage: { ...P.storage, optional: 1 },
          target: { type: 'string', optional: 1, format: 'pve-node' },
        },
        permissions: { user: 'all' },
        proxyto: 'node',
        handler: storageIndex,
      },
    },
  },
  {
    path: '/nodes/{node}/storage/{storage}',
    index: 'subdir',
    methods: {
      GET: {
        name: 'diridx',
        params: { node: P.node, storage: P.storage },
        permissions: { check: ['/storage/{storage}', AUDIT_OR_SPACE], any: true },
        handler: (ctx) => indexEntries('subdir', ctx.children),
      },
    },
  },
  {
    path: '/nodes/{node}/storage/{storage}/content',
    methods: {
      GET: {
        name: 'index',
        params: {
          content: { type: 'string', optional: 1, format: 'pve-storage-content' },
          node: P.node,
          storage: P.storage,
          vmid: { ...P.vmid, optional: 1 },
        },
        permissions: { check: ['/storage/{storage}', AUDIT_OR_SPACE], any: true },
        proxyto: 'node',
        handler: storageContent,
      },
    },
  },
  {
    path: '/nodes/{node}/storage/{storage}/status',
    methods: {
      GET: {
        name: 'read_status',
        params: { node: P.node, storage: P.storage },
        permissions: { check: ['/storage/{storage}', AUDIT_OR_SPACE], any: true },
        proxyto: 'node',
        handler: (ctx) => {
          const def = findStorage(String(ctx.params.storage));
          if (!def) throw paramError({ storage: 'No such storage.' });
          return storageInfo(ctx, def);
        },
      },
    },
  },
];
