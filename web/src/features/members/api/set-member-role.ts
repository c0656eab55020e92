// PUT /api/tenants/:id/members/:userId: changes a member's role.
import type { TenantRole } from '@common/permissions';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { TenantMember } from './get-members';

export function setMemberRole(tenantId: string, userId: string, role: TenantRole): Promise<TenantMember> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(userId)}`, {
    method: 'PUT',
    body: { role },
  });
}

export function useSetMemberRole(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: TenantRole }) => setMemberRole(tenantId, userId, role),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.members(tenantId) }),
  });
}
