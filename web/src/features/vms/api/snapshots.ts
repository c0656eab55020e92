// A guest's snapshots: GET …/snapshots (the tree), and take / roll back / delete, each a Proxmox
// task that Nexus follows (task.finished refreshes the list through the guest's query key).
import type { CreateSnapshotBody, SnapshotList, VmActionResult } from '@common/schemas/vms';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import { guestPath } from './paths';

export type { SnapshotList };

export function useSnapshots(tenantId: string, serverId: string, vmid: number) {
  return useQuery({
    queryKey: qk.snapshots(tenantId, serverId, vmid),
    queryFn: () => api<SnapshotList>(`${guestPath(tenantId, serverId, vmid)}/snapshots`),
  });
}

type SnapshotOp =
  | { op: 'create'; body: CreateSnapshotBody }
  | { op: 'rollback'; name: string }
  | { op: 'delete'; name: string };

export function useSnapshotAction(tenantId: string, serverId: string, vmid: number) {
  const qc = useQueryClient();
  const base = `${guestPath(tenantId, serverId, vmid)}/snapshots`;
  return useMutation({
    mutationFn: (a: SnapshotOp): Promise<VmActionResult> =>
      a.op === 'create'
        ? api(base, { method: 'POST', body: a.body })
        : a.op === 'rollback'
          ? api(`${base}/${encodeURIComponent(a.name)}/rollback`, { method: 'POST' })
          : api(`${base}/${encodeURIComponent(a.name)}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.vm(tenantId, serverId, vmid) }),
  });
}
