// POST /api/auth/invitations/:token/join: the signed-in user accepts an invitation for their e-mail.
import type { JoinedInvitation } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type Joined = z.infer<typeof JoinedInvitation>;

export function joinInvitation(token: string): Promise<Joined> {
  return api<Joined>(`/api/auth/invitations/${encodeURIComponent(token)}/join`, { method: 'POST' });
}

export function useJoinInvitation(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => joinInvitation(token),
    // The new membership shows in /me and the tenant list.
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: qk.me }), qc.invalidateQueries({ queryKey: qk.tenants })]),
  });
}
