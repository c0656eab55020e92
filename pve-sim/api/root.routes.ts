// The API root and the small cluster-wide lists around it: /, /version, /storage, /pools.
import { indexEntries, type RouteDef } from '../http/route-table';
import { contentString, STORAGES } from '../model/storage';
import { PVE_VERSION } from '../model/versions';
import { guestResource } from './presenters';

const STORAGE_TYPES = [
  'btrfs',
  'cephfs',
  'cifs',
  'dir',
  'esxi',
  'iscsi',
  'iscsidirect',
  'lvm',
  'lvmthin',
  'nfs',
  'pbs',
  'rbd',
  'zfs',
  'zfspool',
] as const;

export const rootRoutes: RouteDef[] = [
  {
    path: '/',
    index: 'subdir',
    methods: {
      GET: {
        name: 'index',
        params: {},
        permissions: { user: 'all' },
        handler: (ctx) => indexEntries('subdir', ctx.children),
      },
    },
  },
  {
    path: '/version',
    methods: {
      GET: {
        name: 'version',
        params: {},
        permissions: { user: 'all' },
        handler: () => ({ ...PVE_VERSION, console: 'html5' }),
      },
    },
  },
];

export const poolRoutes: RouteDef[] = [
  {
    path: '/pools',
    methods: {
      GET: {
        name: 'index',
        params: {
          poolid: { type: 'string', optional: 1, format: 'pve-poolid' },
          type: { type: 'string', optional: 1, enum: ['qemu', 'lxc', 'storage'], requires: 'poolid' },
        },
        permissions: { user: 'all' },
        handler: ({ params, auth, cluster }) => {
          const now = cluster.now();
          return [...cluster.pools.values()]
            .filter((p) => params.poolid === undefined || p.poolid === params.poolid)
            .filter((p) => cluster.accounts.permissions(auth, `/pool/${p.poolid}`).has('Pool.Audit'))
            .map((p) => {
              const entry: Record<string, unknown> = { poolid: p.poolid };
              if (p.comment !== undefined) entry.comment = p.comment;
              if (params.poolid !== undefined) {
                entry.members = cluster
                  .sortedGuests()
                  .filter((g) => g.pool === p.poolid && (params.type === undefined || params.type === g.type))
                  .map((g) => guestResource(cluster, g, now));
              }
              return entry;
            });
        },
      },
    },
  },
];

export const storageRoutes: RouteDef[] = [
  {
    path: '/storage',
    methods: {
      GET: {
        name: 'index',
        params: { type: { type: 'string', optional: 1, enum: STORAGE_TYPES } },
        permissions: { user: 'all' },
        handler: ({ params, auth, cluster }) =>
          STORAGES.filter((s) => params.type === undefined || s.type === params.type)
            .filter((s) => {
              const privs = cluster.accounts.permissions(auth, `/storage/${s.storage}`);
              return privs.has('Datastore.Audit') || privs.has('Datastore.AllocateSpace');
            })
            .map((s) => ({
              storage: s.storage,
              type: s.type,
              content: contentString(s),
              ...s.extra,
              shared: s.shared ? 1 : 0,
              digest: 'a0f3b9c1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
            })),
      },
    },
  },
];
