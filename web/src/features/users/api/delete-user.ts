// DELETE /api/users/:id: removes an account (its sessions and consoles end).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function deleteUser(id: string): Promise<{ ok: true }> {
  return api(`/api/users/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteUser() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteUser, onSuccess: () => qc.invalidateQueries({ queryKey: qk.usersAll }) });
}
