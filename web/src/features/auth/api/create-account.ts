// POST /api/auth/setup (the first global admin, from the one-time setup link printed at start)
// and POST /api/auth/signup (self-service, when the server allows it): a new account, signed in.
import type { SetupBody, SignupBody } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { startSession } from './start-session';

export type SetupInput = z.input<typeof SetupBody>;
export type SignupInput = z.input<typeof SignupBody>;

/** Whatever was cached belonged to no one: the new session starts from nothing. */
function useCreateAccount<Body>(path: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: Body) => startSession(path, body), onSuccess: () => qc.removeQueries() });
}

export const useCompleteSetup = () => useCreateAccount<SetupInput>('/api/auth/setup');
export const useSignup = () => useCreateAccount<SignupInput>('/api/auth/signup');
