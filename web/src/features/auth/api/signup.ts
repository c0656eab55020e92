// POST /api/auth/signup: self-service account creation, when the server allows it.
import type { LoginResponse, SignupBody } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, setCsrfToken } from '@/lib/api-client';

export type SignupInput = z.input<typeof SignupBody>;

export async function signup(body: SignupInput) {
  const res = await api<z.infer<typeof LoginResponse>>('/api/auth/signup', {
    method: 'POST',
    body,
    allowUnauthorized: true,
  });
  setCsrfToken(res.csrfToken);
  return res;
}

export function useSignup() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: signup, onSuccess: () => qc.removeQueries() });
}
