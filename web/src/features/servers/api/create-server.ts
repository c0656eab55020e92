// POST /api/tenants/:t/servers: registers a server (stored without contacting it).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { ProxmoxServer, ServerInput } from '../types';
import { serversPath } from './paths';

export function createServer(tenantId: string, body: ServerInput): Promise<ProxmoxServer> {
  return api(serversPath(tenantId), { method: 'POST', body });
}

export function useCreateServer(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ServerInput) => createServer(tenantId, body),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: qk.servers(tenantId) }),
        qc.invalidateQueries({ queryKey: qk.vms(tenantId) }),
        qc.invalidateQueries({ queryKey: qk.stats(tenantId) }),
      ]),
  });
}
