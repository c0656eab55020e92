// GET /api/account: the caller's own profile.
import type { User } from '@common/schemas/auth';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function getAccount(): Promise<User> {
  return api('/api/account');
}

export function useAccount() {
  return useQuery({ queryKey: qk.account, queryFn: getAccount });
}
