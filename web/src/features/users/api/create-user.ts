// POST /api/users: a new account with an initial password and global role.
import type { User } from '@common/schemas/auth';
import type { CreateUserBody } from '@common/schemas/users';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function createUser(body: z.input<typeof CreateUserBody>): Promise<User> {
  return api('/api/users', { method: 'POST', body });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createUser, onSuccess: () => qc.invalidateQueries({ queryKey: qk.usersAll }) });
}
