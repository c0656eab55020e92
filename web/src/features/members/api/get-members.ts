// GET /api/tenants/:id/members: who belongs to the tenant, with which role.
import type { Member } from '@common/schemas/tenants';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type TenantMember = z.infer<typeof Member>;

export function getMembers(tenantId: string): Promise<{ members: TenantMember[] }> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/members`);
}

export function useMembers(tenantId: string, enabled = true) {
  return useQuery({ queryKey: qk.members(tenantId), queryFn: () => getMembers(tenantId), enabled });
}
