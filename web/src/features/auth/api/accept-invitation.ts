// POST /api/auth/invitations/:token/accept: creates the invited account and signs it in.
import type { AcceptInvitationBody } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { startSession } from './start-session';

export type AcceptInput = z.input<typeof AcceptInvitationBody>;

export function acceptInvitation(token: string, body: AcceptInput) {
  return startSession(`/api/auth/invitations/${encodeURIComponent(token)}/accept`, body);
}

export function useAcceptInvitation(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptInput) => acceptInvitation(token, body),
    onSuccess: () => qc.removeQueries(),
  });
}
