// /cluster: status (name, quorum, which nodes are online) and resources, the one call a broker
// needs per server to list every guest — including those on offline nodes, as `unknown`.
import { type ApiContext, indexEntries, type RouteDef } from '../http/route-table';
import { contentString, STORAGES } from '../model/storage';
import { guestResource, nodeSummary } from './presenters';

function clusterStatus({ cluster, local }: ApiContext) {
  const nodes = [...cluster.nodes.values()];
  const entries: Record<string, unknown>[] = [];
  const online = nodes.filter((n) => n.online).length;
  if (cluster.name !== null) {
    entries.push({
      type: 'cluster',
      id: 'cluster',
      name: cluster.name,
      nodes: nodes.length,
      quorate: online > nodes.length / 2 ? 1 : 0,
      version: nodes.length + 1,
    });
  }
  for (const node of nodes) {
    entries.push({
      type: 'node',
      id: `node/${node.name}`,
      name: node.name,
      nodeid: cluster.name === null ? 0 : node.nodeid,
      ip: node.ip,
      online: node.online ? 1 : 0,
      local: node === local ? 1 : 0,
      level: '',
    });
  }
  return entries;
}

function resources({ params, auth, cluster }: ApiContext) {
  const type = params.type;
  const now = cluster.now();
  const can = (path: string, priv: string, pool?: string) => cluster.accounts.permissions(auth, path, pool).has(priv);
  const out: Record<string, unknown>[] = [];
  if (type === undefined || type === 'vm') {
    for (const guest of cluster.sortedGuests()) {
      if (can(`/vms/${guest.vmid}`, 'VM.Audit', guest.pool)) out.push(guestResource(cluster, guest, now));
    }
  }
  if (type === undefined || type === 'node') {
    for (const node of cluster.nodes.values()) {
      if (!can(`/nodes/${node.name}`, 'Sys.Audit')) continue;
      const { ssl_fingerprint: _, ...entry } = nodeSummary(cluster, node, now, true);
      out.push({ ...entry, 'cgroup-mode': 2 });
    }
  }
  if (type === undefined || type === 'storage') {
    for (const node of cluster.nodes.values()) {
      for (const s of STORAGES) {
        if (
          !can(`/storage/${s.storage}`, 'Datastore.Audit') &&
          !can(`/storage/${s.storage}`, 'Datastore.AllocateSpace')
        ) {
          continue;
        }
        const entry: Record<string, unknown> = {
          id: `storage/${node.name}/${s.storage}`,
          type: 'storage',
          storage: s.storage,
          node: node.name,
          status: node.online ? 'available' : 'unknown',
          plugintype: s.type,
          content: contentString(s),
          shared: s.shared ? 1 : 0,
        };
        if (node.online) {
          const { usage } = cluster.storageState(node, s, now);
          Object.assign(entry, { disk: usage.used, maxdisk: usage.total });
        }
        out.push(entry);
      }
    }
  }
  if (type === undefined) {
    for (const pool of cluster.pools.values()) {
      if (can(`/pool/${pool.poolid}`, 'Pool.Audit'))
        out.push({ id: `/pool/${pool.poolid}`, type: 'pool', pool: pool.poolid });
    }
  }
  return out;
}

export const clusterRoutes: RouteDef[] = [
  {
    path: '/cluster',
    index: 'name',
    methods: {
      GET: {
        name: 'index',
        params: {},
        permissions: { user: 'all' },
        handler: (ctx) => indexEntries('name', ctx.children),
      },
    },
  },
  {
    path: '/cluster/resources',
    methods: {
      GET: {
        name: 'resources',
        params: { type: { type: 'string', optional: 1, enum: ['vm', 'storage', 'node', 'sdn'] } },
        permissions: { user: 'all' },
        handler: resources,
      },
    },
  },
  {
    path: '/cluster/status',
    methods: {
      GET: {
        name: 'get_status',
        params: {},
        permissions: { check: ['/', ['Sys.Audit']] },
        handler: clusterStatus,
      },
    },
  },
];
