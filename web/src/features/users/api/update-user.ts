// PATCH /api/users/:id: global role, disabled flag, name or a password reset.
import type { User } from '@common/schemas/auth';
import type { UpdateUserBody } from '@common/schemas/users';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function updateUser(id: string, body: z.input<typeof UpdateUserBody>): Promise<User> {
  return api(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: z.input<typeof UpdateUserBody> }) => updateUser(id, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.usersAll }),
  });
}
