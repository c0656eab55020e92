// GET /api/auth/config: what a signed-out page needs (is sign-up open?).
import type { AuthConfig } from '@common/schemas/auth';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';

export type AuthConfigBody = z.infer<typeof AuthConfig>;

export function getAuthConfig(): Promise<AuthConfigBody> {
  return api<AuthConfigBody>('/api/auth/config', { allowUnauthorized: true });
}

export function useAuthConfig() {
  return useQuery({ queryKey: ['auth-config'], queryFn: getAuthConfig, staleTime: 60_000 });
}
