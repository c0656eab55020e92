// Passkeys: the account's (GET/POST/DELETE /api/account/passkeys, registered through the browser's
// WebAuthn with @simplewebauthn/browser) and signing in with one — alone, or as the second step.
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function usePasskeys() {
  return useQuery({
    queryKey: qk.passkeys,
    queryFn: () => api<{ passkeys: Passkey[] }>('/api/account/passkeys'),
  });
}

export function useAddPasskey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => {
      const optionsJSON = await api<Parameters<typeof startRegistration>[0]['optionsJSON']>(
        '/api/account/passkeys/options',
        { method: 'POST' },
      );
      const response = await startRegistration({ optionsJSON });
      return api<Passkey>('/api/account/passkeys', { method: 'POST', body: { name, response } });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.passkeys });
      void qc.invalidateQueries({ queryKey: qk.secondFactors });
      void qc.invalidateQueries({ queryKey: qk.me });
    },
  });
}

export function useRemovePasskey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/account/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: qk.passkeys });
      void qc.invalidateQueries({ queryKey: qk.secondFactors });
    },
  });
}

/** The browser's answer with a passkey to options from `optionsPath` (no session needed). */
export async function answerWithPasskey(optionsPath: string) {
  const optionsJSON = await api<Parameters<typeof startAuthentication>[0]['optionsJSON']>(optionsPath, {
    method: 'POST',
    allowUnauthorized: true,
  });
  return startAuthentication({ optionsJSON });
}
