// A console this instance relays, as the consoles service keeps it while it runs: who holds it
// (for re-authorization), where its relay is, and its bookkeeping (opened, bytes counted, a
// share's expiry, a browser that dropped and may come back).
import type { AuditContext } from '../audit/audit.service';
import type { HeldConsole } from './console-access';
import type { ClaimedConsole } from './console-tickets';
import type { RelayHandle } from './relay-pool';

/** A console relayed by this instance (`kind`: a `shell` is a node's, re-authorized as node:shell). */
export interface LiveConsole extends HeldConsole {
  node: string;
  /** Here (ConsoleRelay, TerminalRelay) or in a relay worker (RemoteRelay). */
  relay: RelayHandle;
  startedAt: number;
  openedAt: number | null;
  audit: AuditContext;
  /** The timer that ends a share link's console when the link expires. */
  shareExpiry: NodeJS.Timeout | undefined;
  /** Bookkeeping in order: the close waits for the open's rows. */
  chain: Promise<void>;
  /** Relayed bytes already added to the metrics counter. */
  countedUp: number;
  countedDown: number;
  /** Since when its browser is gone and Proxmox's console waits for a re-attach. */
  detachedAt: number | null;
  recordingId: string | null;
}

/** A console from its claimed ticket, about to start on `relay`. */
export function liveConsole(
  claimed: ClaimedConsole,
  relay: RelayHandle,
  audit: AuditContext,
  now: number,
  recordingId: string | null,
): LiveConsole {
  const { row } = claimed;
  return {
    id: row.id,
    kind: claimed.kind,
    node: row.node ?? '',
    tenantId: row.tenant_id,
    serverId: row.server_id,
    vmid: row.vmid,
    userId: row.user_id,
    sessionId: row.session_id,
    tokenId: row.token_id,
    viewOnly: claimed.viewOnly,
    relay,
    startedAt: now,
    openedAt: null,
    audit,
    shareId: claimed.share?.id ?? null,
    shareExpiry: undefined,
    chain: Promise.resolve(),
    countedUp: 0,
    countedDown: 0,
    detachedAt: null,
    recordingId,
  };
}
