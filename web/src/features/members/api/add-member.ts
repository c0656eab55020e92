// POST /api/tenants/:id/members: an invitation link to send (global admins add existing users at once).
import type { AddMemberBody, AddMemberResponse } from '@common/schemas/tenants';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type AddMemberResult = z.infer<typeof AddMemberResponse>;

export function addMember(tenantId: string, body: z.input<typeof AddMemberBody>): Promise<AddMemberResult> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/members`, { method: 'POST', body });
}

export function useAddMember(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof AddMemberBody>) => addMember(tenantId, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: qk.members(tenantId) });
      await qc.invalidateQueries({ queryKey: qk.invitations(tenantId) });
    },
  });
}
