// GET /api/tenants/:t/servers: the tenant's servers with health figures (never their secrets).
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { ProxmoxServer } from '../types';
import { serversPath } from './paths';

export async function getServers(tenantId: string): Promise<ProxmoxServer[]> {
  const res = await api<{ servers: ProxmoxServer[] }>(serversPath(tenantId));
  return res.servers;
}

/** Polls slowly as a fallback; the event stream keeps it current in between. */
export function useServers(tenantId: string) {
  return useQuery({ queryKey: qk.servers(tenantId), queryFn: () => getServers(tenantId), refetchInterval: 60_000 });
}
