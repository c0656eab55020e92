// POST /api/auth/invitations/:token/accept: creates the invited account and signs it in.
import type { AcceptInvitationBody, LoginResponse } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, setCsrfToken } from '@/lib/api-client';

export type AcceptInput = z.input<typeof AcceptInvitationBody>;

export async function acceptInvitation(token: string, body: AcceptInput) {
  const res = await api<z.infer<typeof LoginResponse>>(`/api/auth/invitations/${encodeURIComponent(token)}/accept`, {
    method: 'POST',
    body,
    allowUnauthorized: true,
  });
  setCsrfToken(res.csrfToken);
  return res;
}

export function useAcceptInvitation(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptInput) => acceptInvitation(token, body),
    onSuccess: () => qc.removeQueries(),
  });
}
