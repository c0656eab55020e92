// DELETE /api/tenants/:id/members/:userId: removes a member (their consoles close).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function removeMember(tenantId: string, userId: string): Promise<{ ok: true }> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(userId)}`, {
    method: 'DELETE',
  });
}

export function useRemoveMember(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => removeMember(tenantId, userId),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.members(tenantId) }),
  });
}
