// /api/admin/identity-providers: the sign-in providers (the environment's, read-only, and those
// global admins manage). A client secret goes in and never comes back (`hasClientSecret`).
import type { IdentityProviderView } from '@common/schemas/identity-providers';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export type IdentityProvider = IdentityProviderView;

export interface IdentityProviderInput {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  /** Empty on an edit: the stored secret stays. */
  clientSecret?: string;
  scopes: string;
  groupsClaim: string;
  roleMap: string;
  allowLinking: boolean;
  trustMfa: boolean;
}

const KEY = ['admin', 'identity-providers'] as const;
const PATH = '/api/admin/identity-providers';

export function useIdentityProviders() {
  return useQuery({ queryKey: KEY, queryFn: () => api<{ providers: IdentityProvider[] }>(PATH) });
}

export function useSaveIdentityProvider(editing: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, clientSecret, ...rest }: IdentityProviderInput) => {
      const secret = clientSecret ? { clientSecret } : {};
      return editing
        ? api(`${PATH}/${encodeURIComponent(id)}`, { method: 'PUT', body: { ...rest, ...secret } })
        : api(PATH, { method: 'POST', body: { id, ...rest, ...secret } });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteIdentityProvider() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`${PATH}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}
