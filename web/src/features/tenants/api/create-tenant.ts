// POST /api/tenants: a new tenant (global admins).
import type { CreateTenantBody, Tenant } from '@common/schemas/tenants';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function createTenant(body: z.input<typeof CreateTenantBody>): Promise<Tenant> {
  return api('/api/tenants', { method: 'POST', body });
}

export function useCreateTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createTenant,
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: qk.tenants }), qc.invalidateQueries({ queryKey: qk.me })]),
  });
}
