// GET …/servers/:id/nodes (each node's status, figures and Proxmox version) and …/storage
// (every node's storages with usage; tenant admins and managers).
import type { ServerNodes, ServerStorages } from '@common/schemas/vms';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

const base = (tenantId: string, serverId: string) =>
  `/api/tenants/${encodeURIComponent(tenantId)}/servers/${encodeURIComponent(serverId)}`;

export function useServerNodes(tenantId: string, serverId: string) {
  return useQuery({
    queryKey: ['tenant', tenantId, 'server', serverId, 'nodes'],
    queryFn: () => api<ServerNodes>(`${base(tenantId, serverId)}/nodes`),
    refetchInterval: 30_000,
  });
}

export function useServerStorages(tenantId: string, serverId: string) {
  return useQuery({
    queryKey: ['tenant', tenantId, 'server', serverId, 'storage'],
    queryFn: () => api<ServerStorages>(`${base(tenantId, serverId)}/storage`),
    refetchInterval: 60_000,
  });
}
