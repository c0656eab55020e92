// POST /api/auth/setup: the first global admin, from the one-time setup link printed at start.
import type { LoginResponse, SetupBody } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, setCsrfToken } from '@/lib/api-client';

export type SetupInput = z.input<typeof SetupBody>;

export async function completeSetup(body: SetupInput) {
  const res = await api<z.infer<typeof LoginResponse>>('/api/auth/setup', {
    method: 'POST',
    body,
    allowUnauthorized: true,
  });
  setCsrfToken(res.csrfToken);
  return res;
}

export function useCompleteSetup() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: completeSetup, onSuccess: () => qc.removeQueries() });
}
