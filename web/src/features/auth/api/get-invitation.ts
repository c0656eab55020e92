// GET /api/auth/invitations/:token: what an invitation link offers (tenant, role, e-mail).
import type { InvitationInfo } from '@common/schemas/auth';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type Invitation = z.infer<typeof InvitationInfo>;

export function getInvitation(token: string): Promise<Invitation> {
  return api<Invitation>(`/api/auth/invitations/${encodeURIComponent(token)}`, { allowUnauthorized: true });
}

export function useInvitation(token: string) {
  return useQuery({ queryKey: qk.invitation(token), queryFn: () => getInvitation(token), retry: false });
}
