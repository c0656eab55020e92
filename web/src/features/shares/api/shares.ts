// Console share links: the guest's links (GET), making one (the URL comes back once) and revoking
// one; and the recipient's side, which has no session: the link's page facts and a console ticket.
import type { ConsoleTicket } from '@common/schemas/consoles';
import type { CreateShareBody, PublicShare, Share, ShareCreated } from '@common/schemas/shares';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { guestPath } from '@/features/vms/api/paths';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type { PublicShare, Share, ShareCreated };
export type ShareInput = z.input<typeof CreateShareBody>;

const sharesPath = (tenantId: string, serverId: string, vmid: number) =>
  `${guestPath(tenantId, serverId, vmid)}/shares`;

export function useShares(tenantId: string, serverId: string, vmid: number, enabled = true) {
  return useQuery({
    queryKey: qk.shares(tenantId, serverId, vmid),
    queryFn: () => api<{ shares: Share[] }>(sharesPath(tenantId, serverId, vmid)),
    // "Who is on it now" changes without an event: looked at again every 5 s while shown.
    refetchInterval: 5_000,
    enabled,
  });
}

export function useCreateShare(tenantId: string, serverId: string, vmid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ShareInput) => api<ShareCreated>(sharesPath(tenantId, serverId, vmid), { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.shares(tenantId, serverId, vmid) }),
  });
}

export function useRevokeShare(tenantId: string, serverId: string, vmid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (shareId: string) =>
      api(`${sharesPath(tenantId, serverId, vmid)}/${encodeURIComponent(shareId)}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.shares(tenantId, serverId, vmid) }),
  });
}

/** The link's page: no session, and a refusal is the link's state, not a reason to sign in. */
export function usePublicShare(token: string) {
  return useQuery({
    queryKey: qk.publicShare(token),
    queryFn: () => api<PublicShare>(`/api/shares/${encodeURIComponent(token)}`, { allowUnauthorized: true }),
    retry: false,
  });
}

export function openSharedConsole(token: string, pin: string | null): Promise<ConsoleTicket> {
  return api<ConsoleTicket>(`/api/shares/${encodeURIComponent(token)}/console`, {
    method: 'POST',
    body: pin ? { pin } : {},
    allowUnauthorized: true,
  });
}
