// POST /api/auth/tokens: a new token, whose secret is shown this once.
import type { CreatedToken, CreateTokenBody } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type NewToken = z.infer<typeof CreatedToken>;

export function createToken(body: z.input<typeof CreateTokenBody>): Promise<NewToken> {
  return api('/api/auth/tokens', { method: 'POST', body });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createToken, onSuccess: () => qc.invalidateQueries({ queryKey: qk.tokens }) });
}
