// PUT /api/tenants/:id/settings: a partial object, merged field by field on the server.
import type { TenantSettings, TenantSettingsPatch } from '@common/schemas/tenants';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type SettingsPatch = z.input<typeof TenantSettingsPatch>;

export function updateTenantSettings(tenantId: string, body: SettingsPatch): Promise<TenantSettings> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/settings`, { method: 'PUT', body });
}

export function useUpdateTenantSettings(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsPatch) => updateTenantSettings(tenantId, body),
    onSuccess: (settings) => qc.setQueryData(qk.settings(tenantId), settings),
  });
}
