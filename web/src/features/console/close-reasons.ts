// Every way a console can end, in words, and whether trying again (with a fresh ticket) can help.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { ApiError } from '@/lib/api-client';

export interface CloseInfo {
  code: number | string;
  title: string;
  detail: string | null;
  retry: boolean;
}

const BY_CODE: Record<number, { title: string; retry: boolean }> = {
  [CONSOLE_CLOSE.normal]: { title: 'The console was closed', retry: false },
  [CONSOLE_CLOSE.goingAway]: { title: 'Nexus is restarting', retry: true },
  [CONSOLE_CLOSE.protocolError]: { title: 'The console stream was malformed', retry: true },
  [CONSOLE_CLOSE.messageTooBig]: { title: 'Too much was sent at once (over 1 MiB)', retry: true },
  [CONSOLE_CLOSE.vmStopped]: { title: 'The guest is not running', retry: false },
  [CONSOLE_CLOSE.takenOver]: { title: 'Someone else took over this console', retry: false },
  [CONSOLE_CLOSE.revoked]: { title: 'Your access to this console was revoked', retry: false },
  [CONSOLE_CLOSE.idle]: { title: 'Closed after a period without input', retry: false },
  [CONSOLE_CLOSE.proxmoxUnreachable]: { title: 'Proxmox is unreachable', retry: true },
  [CONSOLE_CLOSE.stalled]: { title: 'The connection stalled', retry: true },
  [CONSOLE_CLOSE.handshakeTimeout]: { title: 'The console did not become ready in time', retry: true },
  [CONSOLE_CLOSE.closedByProxmox]: { title: 'Proxmox ended the console', retry: true },
  [CONSOLE_CLOSE.internal]: { title: 'Nexus hit an unexpected error', retry: true },
  1006: { title: 'The connection was lost', retry: true },
};

export function closeInfoFromSocket(event: CloseEvent | null): CloseInfo {
  const code = event?.code ?? 1006;
  const known = BY_CODE[code] ?? { title: `The console closed (code ${code})`, retry: code < 4000 };
  const reason = event?.reason?.trim() || null;
  return { code, title: known.title, detail: reason && reason !== known.title ? reason : null, retry: known.retry };
}

/** The ticket request failed: refusals are final, capacity and upstream problems are worth retrying. */
export function closeInfoFromTicketError(e: unknown): CloseInfo {
  if (e instanceof ApiError) {
    const retry = e.status === 0 || e.status === 429 || e.status >= 500;
    const titles: Record<string, string> = {
      'console.disabled': 'Your role has no console in this tenant',
      'console.limit_reached': 'Too many consoles are open right now',
      'console.too_many_tickets': 'Other console windows of yours are still opening',
      'console.rate_limited': 'Too many consoles opened in the last minute',
      'policy.forbidden': 'You may not open this console',
      'vm.not_found': 'This guest does not exist (any more)',
      'vm.not_running': 'The guest is not running',
      'server.inactive': 'This server is deactivated',
      'tenant.inactive': 'This tenant is deactivated',
      'network.unreachable': 'Nexus is unreachable',
      'share.not_found': 'This share link is invalid or has expired',
      'share.locked': 'This share link is locked after too many wrong PINs',
      'share.disabled': 'This share link is switched off',
      'share.pin_invalid': 'Wrong PIN',
      'share.pin_required': 'This link needs its PIN',
    };
    const title =
      titles[e.code] ??
      (e.code.startsWith('proxmox.') ? 'Proxmox could not open the console' : 'The console could not be opened');
    return { code: e.code, title, detail: e.message, retry };
  }
  return {
    code: 'unknown',
    title: 'The console could not be opened',
    detail: e instanceof Error ? e.message : null,
    retry: true,
  };
}
