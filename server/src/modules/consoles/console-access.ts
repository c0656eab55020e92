// Whether a live console may go on: which revocation events end it at once and which ask for a
// re-check, and the re-check itself — the user's rights now (re-authorized as the upgrade was),
// the tenant's settings, or a share link's standing. Consoles fail closed.
import type { SystemEvent } from '@common/events';
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import type { Logger } from '../../lib/logger';
import { guestAbilities } from '../../policy/policy';
import type { AuthService } from '../auth/auth.service';
import type { ShareStanding } from '../shares/share-standing';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { TAKEN_OVER } from './console-books';
import type { CloseReason } from './console-relay';

/** What the checks need to know of a live console. */
export interface HeldConsole {
  id: string;
  kind: 'vnc' | 'terminal' | 'shell';
  tenantId: string;
  serverId: string;
  vmid: number;
  userId: string;
  sessionId: string | null;
  tokenId: string | null;
  viewOnly: boolean;
  shareId: string | null;
}

/** Whether a ticket's console would continue `live` (whose browser dropped): the same user's
 * graphical console of the same guest in the same mode, not a share link's. */
export function continues(
  live: HeldConsole & { detachedAt: number | null },
  ticket: {
    user_id: string;
    tenant_id: string;
    server_id: string;
    vmid: number;
    view_only: number;
    kind: string;
    share_id: string | null;
  },
): boolean {
  return (
    live.detachedAt !== null &&
    live.kind === 'vnc' &&
    live.shareId === null &&
    ticket.kind === 'vnc' &&
    ticket.share_id === null &&
    live.userId === ticket.user_id &&
    live.tenantId === ticket.tenant_id &&
    live.serverId === ticket.server_id &&
    live.vmid === ticket.vmid &&
    live.viewOnly === (ticket.view_only === 1)
  );
}

/** How an event bears on a console: ended (with why), re-checked (ended with `recheck` as the
 * reason if no longer allowed), or not at all. */
export function verdictOn(event: SystemEvent, live: HeldConsole): CloseReason | { recheck: string } | null {
  const revoked = (reason: string): CloseReason => ({ code: CONSOLE_CLOSE.revoked, reason });
  switch (event.type) {
    case 'revoke.sessions':
      return live.userId === event.userId && live.sessionId && event.sessionIds.includes(live.sessionId)
        ? revoked(event.reason)
        : null;
    case 'revoke.user':
      return live.userId === event.userId ? revoked(event.reason) : null;
    case 'revoke.token':
      return live.userId === event.userId && live.tokenId === event.tokenId ? revoked(event.reason) : null;
    case 'revoke.tenant':
      return live.tenantId === event.tenantId ? revoked(event.reason) : null;
    case 'revoke.server':
      return live.serverId === event.serverId ? revoked(event.reason) : null;
    case 'revoke.membership':
      // Role or assignments changed: keep what is still allowed, end the rest.
      return live.userId === event.userId && live.tenantId === event.tenantId ? { recheck: event.reason } : null;
    case 'revoke.share':
      return live.shareId === event.shareId ? revoked(event.reason) : null;
    case 'console.close':
      if (live.id !== event.consoleId) return null;
      return event.reason === TAKEN_OVER
        ? { code: CONSOLE_CLOSE.takenOver, reason: TAKEN_OVER }
        : revoked(event.reason);
    default:
      return null;
  }
}

export interface AccessDeps {
  auth: Pick<AuthService, 'reauthorize'>;
  settings: TenantSettingsReader;
  shares: Pick<ShareStanding, 'byId'>;
  log: Pick<Logger, 'warn'>;
}

/** Whether the console's user may still hold it as it is (fails closed). */
export async function stillAllowed(deps: AccessDeps, live: HeldConsole): Promise<boolean> {
  try {
    if (live.shareId) {
      // A share's console stands with its link (its creator's rights, the tenant's setting).
      const verdict = await deps.shares.byId(live.shareId);
      return verdict.ok && (live.viewOnly || !verdict.viewOnly);
    }
    const principal = { userId: live.userId, sessionId: live.sessionId, tokenId: live.tokenId };
    if (live.kind === 'shell') {
      const now = await deps.auth.reauthorize(principal, live.tenantId, 'node:shell', {
        target: { serverId: live.serverId },
        tokenScope: 'console',
      });
      return now !== null && (await deps.settings.get(live.tenantId)).nodeShell;
    }
    const now = await deps.auth.reauthorize(principal, live.tenantId, 'vm:console', {
      target: { serverId: live.serverId, vmid: live.vmid },
      tokenScope: 'console',
    });
    if (!now) return false;
    const settings = await deps.settings.get(live.tenantId);
    const ability = guestAbilities(now.actor, now.scope, live.serverId, live.vmid, settings).console;
    return ability === 'interactive' || (ability === 'view-only' && live.viewOnly);
  } catch (err) {
    deps.log.warn({ err, consoleId: live.id }, 'console re-authorization failed; closing it');
    return false;
  }
}
