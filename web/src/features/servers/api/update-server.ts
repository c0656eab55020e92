// PATCH /api/tenants/:t/servers/:s: edits a server; an empty token field keeps the stored secret.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { ProxmoxServer, ServerPatch } from '../types';
import { serverPath } from './paths';

export function updateServer(tenantId: string, serverId: string, body: ServerPatch): Promise<ProxmoxServer> {
  return api(serverPath(tenantId, serverId), { method: 'PATCH', body });
}

export function useUpdateServer(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ serverId, body }: { serverId: string; body: ServerPatch }) => updateServer(tenantId, serverId, body),
    onSuccess: (server) => {
      qc.setQueryData(qk.server(tenantId, server.id), server);
      return Promise.all([
        qc.invalidateQueries({ queryKey: qk.servers(tenantId) }),
        qc.invalidateQueries({ queryKey: qk.vms(tenantId) }),
      ]);
    },
  });
}
