// POST /api/auth/signup: self-service account creation, when the server allows it.
import type { SignupBody } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { startSession } from './start-session';

export type SignupInput = z.input<typeof SignupBody>;

export function signup(body: SignupInput) {
  return startSession('/api/auth/signup', body);
}

export function useSignup() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: signup, onSuccess: () => qc.removeQueries() });
}
