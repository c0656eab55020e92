// PUT /api/tenants/:id/members/:userId/assignments: replaces the member's guest allowlist and says
// whether they are restricted to it (lifting a restriction takes `restricted: false`).
import type { AssignmentsBody } from '@common/schemas/tenants';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { GuestAssignments } from './get-assignments';

export function putAssignments(
  tenantId: string,
  userId: string,
  body: z.input<typeof AssignmentsBody>,
): Promise<GuestAssignments> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(userId)}/assignments`, {
    method: 'PUT',
    body,
  });
}

export function usePutAssignments(tenantId: string, userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof AssignmentsBody>) => putAssignments(tenantId, userId, body),
    onSuccess: (data) => {
      qc.setQueryData(qk.assignments(tenantId, userId), data);
      return qc.invalidateQueries({ queryKey: qk.members(tenantId) });
    },
  });
}
