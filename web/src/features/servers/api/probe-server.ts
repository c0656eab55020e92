// POST /api/tenants/:t/servers/probe: the certificate a host presents, for trust on first use.
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ProbeResult } from '../types';
import { serversPath } from './paths';

export function probeServer(tenantId: string, body: { host: string; port?: number }): Promise<ProbeResult> {
  return api(`${serversPath(tenantId)}/probe`, { method: 'POST', body });
}

export function useProbeServer(tenantId: string) {
  return useMutation({ mutationFn: (body: { host: string; port?: number }) => probeServer(tenantId, body) });
}
