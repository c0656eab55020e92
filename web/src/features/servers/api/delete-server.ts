// DELETE /api/tenants/:t/servers/:s: removes a server and closes its consoles.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import { serverPath } from './paths';

export function deleteServer(tenantId: string, serverId: string): Promise<unknown> {
  return api(serverPath(tenantId, serverId), { method: 'DELETE' });
}

export function useDeleteServer(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (serverId: string) => deleteServer(tenantId, serverId),
    onSuccess: (_r, serverId) => {
      qc.removeQueries({ queryKey: qk.server(tenantId, serverId) });
      return Promise.all([
        qc.invalidateQueries({ queryKey: qk.servers(tenantId) }),
        qc.invalidateQueries({ queryKey: qk.vms(tenantId) }),
        qc.invalidateQueries({ queryKey: qk.stats(tenantId) }),
      ]);
    },
  });
}
