// DELETE /api/auth/tokens/:id: revokes a token at once.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function revokeToken(id: string): Promise<{ ok: true }> {
  return api(`/api/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: revokeToken, onSuccess: () => qc.invalidateQueries({ queryKey: qk.tokens }) });
}
