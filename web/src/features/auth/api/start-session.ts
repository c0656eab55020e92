// Every way of signing in (password, setup link, sign-up, invitation) answers alike: a new
// cookie session, and the CSRF token for later writes, which the client keeps.
import type { SessionStarted } from '@common/schemas/auth';
import type { z } from 'zod';
import { api, setCsrfToken, suspendUnauthorizedHandler } from '@/lib/api-client';

export type SessionStart = z.infer<typeof SessionStarted>;

export async function startSession(path: string, body: unknown): Promise<SessionStart> {
  return sessionStarted(await api<SessionStart>(path, { method: 'POST', body, allowUnauthorized: true }));
}

/** The client keeps the new session's CSRF token and listens for expiry again. */
export function sessionStarted(res: SessionStart): SessionStart {
  setCsrfToken(res.csrfToken);
  suspendUnauthorizedHandler(false);
  return res;
}
