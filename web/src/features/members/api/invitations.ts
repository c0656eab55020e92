// GET /api/tenants/:id/invitations and DELETE …/invitations/:id: a tenant's pending invitations
// (tenant admins), and revoking one so its link stops working.
import type { PendingInvitation } from '@common/schemas/tenants';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type { PendingInvitation };

const base = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/invitations`;

export function useInvitations(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: qk.invitations(tenantId),
    queryFn: () => api<{ invitations: PendingInvitation[] }>(base(tenantId)),
    enabled,
  });
}

export function useRevokeInvitation(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ ok: true }>(`${base(tenantId)}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.invitations(tenantId) }),
  });
}
