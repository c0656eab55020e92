// PATCH /api/account: name, avatar, and password (with the current one).
import type { AccountPatch, User } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type AccountInput = z.input<typeof AccountPatch>;

export function updateAccount(body: AccountInput): Promise<User> {
  return api('/api/account', { method: 'PATCH', body });
}

export function useUpdateAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateAccount,
    onSuccess: (user) => {
      qc.setQueryData(qk.account, user);
      return qc.invalidateQueries({ queryKey: qk.me });
    },
  });
}
