// POST /api/users/:userId/mfa/reset: a global admin takes a user's second factors away.
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export function useResetSecondFactor() {
  return useMutation({
    mutationFn: (userId: string) => api(`/api/users/${encodeURIComponent(userId)}/mfa/reset`, { method: 'POST' }),
  });
}
