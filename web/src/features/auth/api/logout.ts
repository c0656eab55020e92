// POST /api/auth/logout: ends the session; the cache is dropped so no data outlives it. A session
// from an identity provider answers where to sign out there too (`logoutUrl`).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, suspendUnauthorizedHandler } from '@/lib/api-client';

export async function logout(): Promise<{ logoutUrl?: string }> {
  return (
    (await api<{ ok: true; logoutUrl?: string } | null>('/api/auth/logout', {
      method: 'POST',
      allowUnauthorized: true,
    })) ?? {}
  );
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    // Queries refetching meanwhile get 401: that is the sign-out, not an expired session.
    onMutate: () => suspendUnauthorizedHandler(true),
    mutationFn: logout,
    onSettled: () => {
      setCsrfToken(null);
      qc.clear();
    },
  });
}
