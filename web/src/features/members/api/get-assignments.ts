// GET /api/tenants/:id/members/:userId/assignments: whether the member is restricted to guests, and to which.
import type { Assignments } from '@common/schemas/tenants';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type GuestAssignments = z.infer<typeof Assignments>;

export function getAssignments(tenantId: string, userId: string): Promise<GuestAssignments> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(userId)}/assignments`);
}

export function useAssignments(tenantId: string, userId: string, enabled = true) {
  return useQuery({
    queryKey: qk.assignments(tenantId, userId),
    queryFn: () => getAssignments(tenantId, userId),
    enabled,
  });
}
