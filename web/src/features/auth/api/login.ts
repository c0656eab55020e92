// POST /api/auth/login: starts a cookie session and returns the CSRF token for later writes.
import type { LoginBody, LoginResponse } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, setCsrfToken } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import { getMe } from './get-me';

export type LoginInput = z.input<typeof LoginBody>;
type LoginResult = z.infer<typeof LoginResponse>;

export async function login(body: LoginInput): Promise<LoginResult> {
  const res = await api<LoginResult>('/api/auth/login', { method: 'POST', body, allowUnauthorized: true });
  setCsrfToken(res.csrfToken);
  return res;
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: async () => {
      // A different user may sign in on this tab: nothing cached for the previous one survives.
      qc.removeQueries();
      await qc.fetchQuery({ queryKey: qk.me, queryFn: getMe });
    },
  });
}
