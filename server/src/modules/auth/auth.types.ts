// The auth module's shapes: what authenticating a request reads, what a new session or a
// second-factor step hands back, how long-lived connections name who opened them.
import type { Actor, TenantScope } from '../../policy/policy';
import type { UserRecord } from '../users/user-directory';

/** "40 seconds", "5 minutes": how long a lockout lasts, in words. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, seconds)} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export interface AuthenticatedRequest {
  cookie: string | undefined;
  authorization: string | undefined;
}

export interface SessionIssue {
  cookieValue: string;
  csrfToken: string;
  maxAgeSeconds: number;
  user: UserRecord;
}

/** A right password of a user with a second factor: the step that asks for it (its cookie). */
export interface SecondFactorStep {
  challenge: string;
  methods: ('totp' | 'recovery' | 'passkey')[];
}

/** What a long-lived connection (console, event stream, terminal, share) was opened with. */
export interface Principal {
  userId: string;
  /** The session's id (its hash), for cookie sessions. */
  sessionId: string | null;
  tokenId: string | null;
  /** The user's standing rights whatever their sessions (a share link's creator: the link
   * outlives the session it was made in, not the creator's account or rights). */
  standing?: boolean;
}

/** Loads the policy's view of a tenant for an actor (the tenants module). */
export interface ScopeLoader {
  loadScope(actor: Actor, tenantId: string): Promise<TenantScope>;
}

export interface Timeouts {
  idleMs: number;
  maxMs: number;
}
