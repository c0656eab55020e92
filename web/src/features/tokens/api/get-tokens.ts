// GET /api/auth/tokens: the caller's personal API tokens (never their secrets).
import type { ApiToken } from '@common/schemas/auth';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type Token = z.infer<typeof ApiToken>;

export function getTokens(): Promise<{ tokens: Token[] }> {
  return api('/api/auth/tokens');
}

export function useTokens() {
  return useQuery({ queryKey: qk.tokens, queryFn: getTokens });
}
