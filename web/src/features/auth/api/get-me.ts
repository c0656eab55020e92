// GET /api/auth/me: who is signed in, their tenants and global abilities, and the CSRF token.
import type { Me } from '@common/schemas/auth';
import { useQuery } from '@tanstack/react-query';
import { api, setCsrfToken } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export async function getMe(): Promise<Me> {
  const me = await api<Me>('/api/auth/me', { allowUnauthorized: true });
  setCsrfToken(me.csrfToken);
  return me;
}

export function useMe() {
  return useQuery({ queryKey: qk.me, queryFn: getMe, staleTime: 60_000, retry: false });
}

/** The signed-in user; only for components rendered below RequireAuth. */
export function useMeData(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useMeData outside RequireAuth');
  return data;
}
