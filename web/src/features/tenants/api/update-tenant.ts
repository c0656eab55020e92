// PATCH /api/tenants/:id: name, slug, description, logo, active flag.
import type { Tenant, UpdateTenantBody } from '@common/schemas/tenants';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function updateTenant(tenantId: string, body: z.input<typeof UpdateTenantBody>): Promise<Tenant> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}`, { method: 'PATCH', body });
}

export function useUpdateTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ tenantId, body }: { tenantId: string; body: z.input<typeof UpdateTenantBody> }) =>
      updateTenant(tenantId, body),
    onSuccess: (tenant) => {
      qc.setQueryData(qk.tenantInfo(tenant.id), tenant);
      return Promise.all([qc.invalidateQueries({ queryKey: qk.tenants }), qc.invalidateQueries({ queryKey: qk.me })]);
    },
  });
}
