// Every way a console can end, in words, and whether trying again (with a fresh ticket) can help.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import type { MessageDescriptor } from 'react-intl';
import { translate } from '@/i18n/current-intl';
import { ApiError, errorMessage } from '@/lib/api-client';
import { closed, closedWithCode, refused } from './messages';

export interface CloseInfo {
  code: number | string;
  title: string;
  detail: string | null;
  retry: boolean;
}

const BY_CODE: Record<number, { title: MessageDescriptor; retry: boolean }> = {
  [CONSOLE_CLOSE.normal]: { title: closed.normal, retry: false },
  [CONSOLE_CLOSE.goingAway]: { title: closed.goingAway, retry: true },
  [CONSOLE_CLOSE.protocolError]: { title: closed.protocolError, retry: true },
  [CONSOLE_CLOSE.messageTooBig]: { title: closed.messageTooBig, retry: true },
  [CONSOLE_CLOSE.vmStopped]: { title: closed.vmStopped, retry: false },
  [CONSOLE_CLOSE.takenOver]: { title: closed.takenOver, retry: false },
  [CONSOLE_CLOSE.revoked]: { title: closed.revoked, retry: false },
  [CONSOLE_CLOSE.idle]: { title: closed.idle, retry: false },
  [CONSOLE_CLOSE.proxmoxUnreachable]: { title: closed.proxmoxUnreachable, retry: true },
  [CONSOLE_CLOSE.stalled]: { title: closed.stalled, retry: true },
  [CONSOLE_CLOSE.handshakeTimeout]: { title: closed.handshakeTimeout, retry: true },
  [CONSOLE_CLOSE.closedByProxmox]: { title: closed.closedByProxmox, retry: true },
  [CONSOLE_CLOSE.internal]: { title: closed.internal, retry: true },
  1006: { title: closed.lost, retry: true },
};

export function closeInfoFromSocket(event: CloseEvent | null): CloseInfo {
  const code = event?.code ?? 1006;
  const known = BY_CODE[code];
  const title = known ? translate(known.title) : translate(closedWithCode, { code });
  const reason = event?.reason?.trim() || null;
  // The broker's reason is in English; it adds what the title does not say (which limit, whose action).
  const englishTitle = known?.title.defaultMessage;
  return {
    code,
    title,
    detail: reason && reason !== title && reason !== englishTitle ? reason : null,
    retry: known ? known.retry : code < 4000,
  };
}

/** The ticket request failed: refusals are final, capacity and upstream problems are worth retrying. */
export function closeInfoFromTicketError(e: unknown): CloseInfo {
  if (e instanceof ApiError) {
    const retry = e.status === 0 || e.status === 429 || e.status >= 500;
    const known = Object.hasOwn(refused, e.code) ? refused[e.code as keyof typeof refused] : null;
    const title = translate(known ?? (e.code.startsWith('proxmox.') ? refused.proxmox : refused.other));
    return { code: e.code, title, detail: errorMessage(e), retry };
  }
  return {
    code: 'unknown',
    title: translate(refused.other),
    detail: e instanceof Error ? e.message : null,
    retry: true,
  };
}
