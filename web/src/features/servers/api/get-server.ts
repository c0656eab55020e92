// GET /api/tenants/:t/servers/:s: one server.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { ProxmoxServer } from '../types';
import { serverPath } from './paths';

export function getServer(tenantId: string, serverId: string): Promise<ProxmoxServer> {
  return api(serverPath(tenantId, serverId));
}

export function useServer(tenantId: string, serverId: string) {
  return useQuery({ queryKey: qk.server(tenantId, serverId), queryFn: () => getServer(tenantId, serverId) });
}
