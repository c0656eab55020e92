// The account's security: second factors (GET /api/account/mfa; enrol, confirm, remove, new
// recovery codes) and sessions (GET /api/account/sessions; sign one or all others out).
import type { AccountSessions, RecoveryCodes, SecondFactorStatus, TotpEnrolment } from '@common/schemas/auth';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type TotpStart = z.infer<typeof TotpEnrolment>;
export type Codes = z.infer<typeof RecoveryCodes>;
export type AccountSession = z.infer<typeof AccountSessions>['sessions'][number];

export function useSecondFactors() {
  return useQuery({
    queryKey: qk.secondFactors,
    queryFn: () => api<z.infer<typeof SecondFactorStatus>>('/api/account/mfa'),
  });
}

/** After a change of factors: their status and who the caller is (`security` in /me). */
function useFactorMutation<In, Out>(fn: (input: In) => Promise<Out>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.secondFactors });
      void qc.invalidateQueries({ queryKey: qk.me });
    },
  });
}

export const useStartTotp = () =>
  useMutation({ mutationFn: () => api<TotpStart>('/api/account/mfa/totp', { method: 'POST' }) });
export const useConfirmTotp = () =>
  useFactorMutation((code: string) => api<Codes>('/api/account/mfa/totp/confirm', { method: 'POST', body: { code } }));
export const useRemoveTotp = () =>
  useFactorMutation((body: { password: string; code: string }) =>
    api('/api/account/mfa/totp', { method: 'DELETE', body }),
  );
export const useRenewRecoveryCodes = () =>
  useFactorMutation((code: string) =>
    api<Codes>('/api/account/mfa/recovery-codes', { method: 'POST', body: { code } }),
  );

export function useAccountSessions() {
  return useQuery({
    queryKey: qk.accountSessions,
    queryFn: () => api<z.infer<typeof AccountSessions>>('/api/account/sessions'),
  });
}

export function useRevokeSessions() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (which: { id: string } | 'others') =>
      api<{ revoked: number }>(
        which === 'others' ? '/api/account/sessions' : `/api/account/sessions/${encodeURIComponent(which.id)}`,
        { method: 'DELETE' },
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.accountSessions }),
  });
}
