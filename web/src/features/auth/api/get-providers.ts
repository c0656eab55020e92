// GET /api/auth/providers: the sign-in buttons (identity providers) and whether the password
// form is for everyone, only global admins (the break-glass) or not shown.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export interface SignInOptions {
  providers: { id: string; name: string; type: 'oidc' }[];
  passwordLogin: 'on' | 'admins' | 'off';
}

export function useSignInOptions() {
  return useQuery({
    queryKey: ['auth-providers'],
    queryFn: () => api<SignInOptions>('/api/auth/providers', { allowUnauthorized: true }),
    staleTime: 60_000,
  });
}

/** Starts the round trip through a provider; back to `next` afterwards. */
export function providerLoginUrl(providerId: string, next: string): string {
  return `/api/auth/oidc/${encodeURIComponent(providerId)}/login?returnTo=${encodeURIComponent(next)}`;
}
