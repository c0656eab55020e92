// DELETE /api/tenants/:id: removes a tenant with its servers and memberships (global admins).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function deleteTenant(tenantId: string): Promise<{ ok: true }> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}`, { method: 'DELETE' });
}

export function useDeleteTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteTenant,
    onSuccess: (_r, tenantId) => {
      qc.removeQueries({ queryKey: qk.tenant(tenantId) });
      return Promise.all([qc.invalidateQueries({ queryKey: qk.tenants }), qc.invalidateQueries({ queryKey: qk.me })]);
    },
  });
}
