// POST /api/auth/login: starts a cookie session and returns the CSRF token for later writes — or,
// for an account with a second factor, asks for it first (POST /api/auth/mfa with a code or a
// recovery code; the step is bound to this browser by a short-lived cookie).
import type { LoginBody, SecondFactorBody } from '@common/schemas/auth';
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { answerWithPasskey } from '@/features/account/api/passkeys';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import { getMe } from './get-me';
import { type SessionStart, sessionStarted, startSession } from './start-session';

export type LoginInput = z.input<typeof LoginBody>;
export type SecondFactorInput = z.input<typeof SecondFactorBody>;
export type LoginResult = SessionStart | { mfaRequired: true; methods: ('totp' | 'recovery' | 'passkey')[] };

export async function login(body: LoginInput): Promise<LoginResult> {
  const res = await api<LoginResult>('/api/auth/login', { method: 'POST', body, allowUnauthorized: true });
  return 'mfaRequired' in res ? res : sessionStarted(res);
}

/** A different user may sign in on this tab: nothing cached for the previous one survives. */
async function freshStart(qc: QueryClient) {
  qc.removeQueries();
  await qc.fetchQuery({ queryKey: qk.me, queryFn: getMe });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: async (res) => {
      if (!('mfaRequired' in res)) await freshStart(qc);
    },
  });
}

/** Signs in with a passkey alone (the authenticator verifies the person). */
export function usePasskeyLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const response = await answerWithPasskey('/api/auth/passkey/options');
      return startSession('/api/auth/passkey', { response });
    },
    onSuccess: () => freshStart(qc),
  });
}

export function useSecondFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (answer: SecondFactorInput) => startSession('/api/auth/mfa', answer),
    onSuccess: () => freshStart(qc),
  });
}
