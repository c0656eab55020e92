// Pure rules of outbound alerts: quiet hours, retry back-off, the hourly budget, how a webhook
// URL is shown, and what each event says (a subject line and a few lines of text, in the
// recipient's language).
import type { QuietHours } from '@common/schemas/alerts';
import { AppError } from '../../lib/app-error';
import { type AlertLanguage, type AlertMessageId, alertMessage } from './alert-messages';

/** Retries go on for at least a day; then the delivery is marked failed. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000 + 60_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

/** The delay before retry number `attempt` (1 = after the first failure): 30 s doubling to 1 h, ±10 %. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
  return Math.round(base * (0.9 + 0.2 * random()));
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The local wall-clock minute of the day (and second) at `at` in a time zone. */
function localTime(at: number, timeZone: string): { minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { minute: part('hour') * 60 + part('minute'), second: part('second') };
}

/** When the quiet hours around `at` end, or null when `at` is outside them. */
export function quietUntil(quiet: QuietHours | null, at: number): number | null {
  if (!quiet) return null;
  const from = minutes(quiet.from);
  const to = minutes(quiet.to);
  const { minute, second } = localTime(at, quiet.timeZone);
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return null;
  const left = (to - minute + 1440) % 1440;
  return at + left * 60_000 - second * 1000 - (at % 1000);
}

/**
 * How many of `due` messages go out one by one now and whether the rest are folded into one
 * digest, given what the channel sent in the last hour. The digest takes the last slot.
 */
export function budget(due: number, sentLastHour: number, maxPerHour: number): { single: number; fold: boolean } {
  const room = maxPerHour - sentLastHour;
  if (room <= 0) return { single: 0, fold: false };
  if (due <= room) return { single: due, fold: false };
  return { single: room - 1, fold: true };
}

/**
 * A stored webhook secret never follows a changed URL: the change must give the secret again
 * (or null for none). Alert channels and the audit forwarder's webhook both ask this.
 */
export function requireSecretForNewUrl(urlChanged: boolean, secretGiven: boolean, secretStored: boolean): void {
  if (urlChanged && !secretGiven && secretStored) {
    throw new AppError(
      'channel.secret_required',
      'The URL changed: give the secret again (or null for none) — a stored secret never follows a new URL',
    );
  }
}

/**
 * A webhook URL as responses show it: scheme, host and port, with the path and query — where
 * chat services put the capability (Slack, Discord, Teams, Gotify tokens) — masked.
 */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const path = url.pathname === '/' || url.pathname === '' ? '' : '/…';
    return `${url.protocol}//${url.host}${path}${url.search ? '?…' : ''}`;
  } catch {
    return '…';
  }
}

export interface AlertText {
  /** One line: the e-mail subject, the chat message's title. */
  subject: string;
  /** A few lines of plain text. */
  lines: string[];
}

const str = (v: unknown, fallback = '?'): string => (typeof v === 'string' && v !== '' ? v : fallback);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** "14 min", "2 h 5 min", "40 s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** What an event says, from its data (names as they were when it happened), in `language`. */
export function describe(event: string, d: Record<string, unknown>, language: AlertLanguage = 'en'): AlertText {
  const t = (id: AlertMessageId, values?: Record<string, string | number>) => alertMessage(language, id, values);
  const server = str(d.serverName ?? d.name);
  const actor = str(d.actorLabel, t('someone'));
  const vmid = num(d.vmid) ?? '?';
  const guest = typeof d.guestName === 'string' ? t('guestNamed', { vmid, name: d.guestName }) : t('guest', { vmid });
  const why = typeof d.error === 'string' && d.error ? [t('reason', { reason: d.error })] : [];
  const since = typeof d.since === 'string' ? [t('since', { since: d.since })] : [];
  const from = typeof d.actorIp === 'string' ? [t('from', { ip: d.actorIp })] : [];
  const problem = (subject: AlertMessageId, line: AlertMessageId): AlertText => ({
    subject: t(subject, { server }),
    lines: [t(line, { server }), ...since, ...why],
  });
  switch (event) {
    case 'server.offline':
      return problem('offlineSubject', 'offlineLine');
    case 'server.tls_mismatch':
      return problem('tlsSubject', 'tlsLine');
    case 'server.auth_error':
      return problem('authSubject', 'authLine');
    case 'server.refused':
      return problem('refusedSubject', 'refusedLine');
    case 'server.online': {
      const down = num(d.downSeconds);
      const flaps = num(d.flaps) ?? 0;
      return {
        subject: t('onlineSubject', { server }),
        lines: [
          down !== null ? t('onlineLineAfter', { server, down: duration(down) }) : t('onlineLine', { server }),
          ...(flaps > 0 ? [t('onlineFlaps', { flaps })] : []),
        ],
      };
    }
    case 'vm.action':
      return {
        subject: t('actionSubject', { actor, action: str(d.action), guest }),
        lines: [t('actionLine', { actor, action: str(d.action), guest, server }), ...from],
      };
    case 'console.opened':
      return {
        subject: t('consoleSubject', { actor, guest }),
        lines: [
          t('consoleLine', {
            actor,
            guest,
            server,
            viewOnly: d.viewOnly ? 'yes' : 'no',
            shared: d.shared ? 'yes' : 'no',
          }),
          ...from,
        ],
      };
    case 'member.changed':
      return {
        subject: t('membersSubject', { change: str(d.change) }),
        lines: [t('membersLine', { actor, change: str(d.change), member: str(d.memberLabel, t('aMember')) })],
      };
    case 'account.sign_in':
      return {
        subject: t('signInSubject'),
        lines: [
          t('signInLine'),
          t('signInAddress', { ip: str(d.ip, t('unknown')) }),
          t('signInBrowser', { userAgent: str(d.userAgent, t('unknown')) }),
          t('signInAdvice'),
        ],
      };
    case 'test':
      return { subject: t('testSubject'), lines: [t('testLine')] };
    case 'digest': {
      const items = Array.isArray(d.items) ? (d.items as { event: string; occurredAt: string; summary: string }[]) : [];
      return {
        subject: t('digestSubject', { count: items.length }),
        lines: [
          t('digestLine', { count: items.length }),
          ...items.slice(0, 50).map((i) => `• ${i.occurredAt} ${i.summary}`),
          ...(items.length > 50 ? [t('digestMore', { count: items.length - 50 })] : []),
        ],
      };
    }
    default:
      return { subject: t('otherSubject', { event }), lines: [] };
  }
}
