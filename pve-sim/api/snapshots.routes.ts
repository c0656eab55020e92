// /nodes/{node}/{qemu|lxc}/{vmid}/snapshot…: list, create, the per-snapshot directory, its
// config (read and description update), rollback and delete, declared once per guest type.
import { P } from '../http/param-schema';
import { indexEntries, type RouteDef } from '../http/route-table';
import type { GuestType } from '../model/sim-guest';
import { loadGuest } from './guest-lookup';
import { snapshotConfig } from './presenters';
import {
  createSnapshot,
  deleteSnapshot,
  findSnapshot,
  rollbackSnapshot,
  snapshotList,
  updateSnapshotConfig,
} from './snapshot-actions';

const ids = { node: P.node, vmid: P.vmid } as const;
const snapIds = { ...ids, snapname: P.snapname } as const;

export function snapshotRoutes(type: GuestType): RouteDef[] {
  const base = `/nodes/{node}/${type}/{vmid}/snapshot`;
  return [
    {
      path: base,
      methods: {
        GET: {
          name: type === 'qemu' ? 'snapshot_list' : 'list',
          params: ids,
          permissions: { check: ['/vms/{vmid}', ['VM.Audit']] },
          proxyto: 'node',
          handler: (ctx) => snapshotList(loadGuest(ctx, type)),
        },
        POST: {
          name: 'snapshot',
          params: {
            ...snapIds,
            description: P.optString,
            // pve-container has this parameter commented out: containers have no RAM state.
            ...(type === 'qemu' ? { vmstate: P.optBool } : {}),
          },
          permissions: { check: ['/vms/{vmid}', ['VM.Snapshot']] },
          proxyto: 'node',
          handler: (ctx) => createSnapshot(ctx, type),
        },
      },
    },
    {
      path: `${base}/{snapname}`,
      index: 'cmd',
      methods: {
        // snapshot_cmd_idx lists its commands (rollback, config) without looking at the guest or
        // the snapshot.
        GET: {
          name: 'snapshot_cmd_idx',
          params: snapIds,
          permissions: { user: 'all' },
          handler: (ctx) => indexEntries('cmd', ctx.children),
        },
        DELETE: {
          name: 'delsnapshot',
          params: { ...snapIds, force: P.optBool },
          permissions: { check: ['/vms/{vmid}', ['VM.Snapshot']] },
          proxyto: 'node',
          handler: (ctx) => deleteSnapshot(ctx, type),
        },
      },
    },
    {
      path: `${base}/{snapname}/rollback`,
      methods: {
        POST: {
          name: 'rollback',
          params: { ...snapIds, start: { type: 'boolean', optional: 1, default: 0 } },
          permissions: { check: ['/vms/{vmid}', ['VM.Snapshot', 'VM.Snapshot.Rollback']], any: true },
          proxyto: 'node',
          handler: (ctx) => rollbackSnapshot(ctx, type),
        },
      },
    },
    {
      path: `${base}/{snapname}/config`,
      methods: {
        GET: {
          name: 'get_snapshot_config',
          params: snapIds,
          permissions: { check: ['/vms/{vmid}', ['VM.Snapshot', 'VM.Snapshot.Rollback', 'VM.Audit']], any: true },
          proxyto: 'node',
          handler: (ctx) => {
            const guest = loadGuest(ctx, type);
            return snapshotConfig(guest, findSnapshot(guest, String(ctx.params.snapname)));
          },
        },
        PUT: {
          name: 'update_snapshot_config',
          params: { ...snapIds, description: P.optString },
          permissions: { check: ['/vms/{vmid}', ['VM.Snapshot']] },
          proxyto: 'node',
          handler: (ctx) => {
            const description = ctx.params.description === undefined ? undefined : String(ctx.params.description);
            // "return if !defined($param->{description})" comes before the config is loaded.
            if (description === undefined) return null;
            return updateSnapshotConfig(loadGuest(ctx, type), String(ctx.params.snapname), description);
          },
        },
      },
    },
  ];
}
