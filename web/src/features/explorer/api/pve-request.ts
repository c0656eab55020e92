// ANY /api/tenants/:t/servers/:s/pve/<path>: the Proxmox API explorer proxy. GET results are
// cached per path (the tree walks index endpoints); writes go through a mutation.
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type PveMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Path relative to `/api2/json/`, without leading slash; each segment percent-encoded. */
export function pveUrl(tenantId: string, serverId: string, path: string): string {
  const clean = path
    .split('/')
    .filter(Boolean)
    .map((s) => encodeURIComponent(s))
    .join('/');
  return `/api/tenants/${encodeURIComponent(tenantId)}/servers/${encodeURIComponent(serverId)}/pve/${clean}`;
}

export function pveRequest(
  tenantId: string,
  serverId: string,
  method: PveMethod,
  path: string,
  params?: Record<string, string>,
): Promise<unknown> {
  const url = pveUrl(tenantId, serverId, path);
  if (method === 'GET' || method === 'DELETE') return api(url, { method, query: params });
  return api(url, { method, body: params ?? {} });
}

export function usePveGet(tenantId: string, serverId: string, path: string, enabled = true) {
  return useQuery({
    queryKey: qk.explorer(tenantId, serverId, path),
    queryFn: () => pveRequest(tenantId, serverId, 'GET', path),
    enabled,
    staleTime: 30_000,
  });
}

export function usePveRequest(tenantId: string, serverId: string) {
  return useMutation({
    mutationFn: ({ method, path, params }: { method: PveMethod; path: string; params?: Record<string, string> }) =>
      pveRequest(tenantId, serverId, method, path, params),
  });
}
