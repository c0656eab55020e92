// POST /api/tenants/:t/servers/:s/test: version, latency, fingerprint and what the token may do.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { TestResult } from '../types';
import { serverPath } from './paths';

export function testServer(tenantId: string, serverId: string): Promise<TestResult> {
  return api(`${serverPath(tenantId, serverId)}/test`, { method: 'POST' });
}

export function useTestServer(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (serverId: string) => testServer(tenantId, serverId),
    onSettled: (_r, _e, serverId) => qc.invalidateQueries({ queryKey: qk.server(tenantId, serverId) }),
  });
}
