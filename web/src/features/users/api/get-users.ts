// GET /api/users: every account (global admins).
import type { User } from '@common/schemas/auth';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function getUsers(search: string): Promise<{ users: User[] }> {
  return api('/api/users', { query: { search: search || undefined, limit: 500 } });
}

export function useUsers(search = '') {
  return useQuery({ queryKey: qk.users(search), queryFn: () => getUsers(search), placeholderData: keepPreviousData });
}
