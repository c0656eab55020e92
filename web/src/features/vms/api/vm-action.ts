// POST …/vms/:vmid/actions/:action: power actions; the result is a Proxmox task followed by Nexus.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { ActionResult, VmAction } from '../types';
import { guestPath } from './paths';

export function vmAction(tenantId: string, serverId: string, vmid: number, action: VmAction): Promise<ActionResult> {
  return api(`${guestPath(tenantId, serverId, vmid)}/actions/${action}`, { method: 'POST' });
}

export function useVmAction(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ serverId, vmid, action }: { serverId: string; vmid: number; action: VmAction }) =>
      vmAction(tenantId, serverId, vmid, action),
    onSettled: (_r, _e, { serverId, vmid }) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: qk.vms(tenantId) }),
        qc.invalidateQueries({ queryKey: qk.vm(tenantId, serverId, vmid) }),
      ]),
  });
}
