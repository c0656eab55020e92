// POST /api/auth/login: starts a cookie session and returns the CSRF token for later writes.
import type { LoginBody } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { qk } from '@/lib/query-keys';
import { getMe } from './get-me';
import { type SessionStart, startSession } from './start-session';

export type LoginInput = z.input<typeof LoginBody>;

export function login(body: LoginInput): Promise<SessionStart> {
  return startSession('/api/auth/login', body);
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
