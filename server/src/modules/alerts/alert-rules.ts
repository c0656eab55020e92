// Pure rules of outbound alerts: quiet hours, retry back-off, the hourly budget, how a webhook
// URL is shown, and what each event says (a subject line and a few lines of text).
import type { QuietHours } from '@common/schemas/alerts';
import { AppError } from '../../lib/app-error';

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

const guestLabel = (d: Record<string, unknown>) =>
  `guest ${num(d.vmid) ?? '?'}${typeof d.guestName === 'string' ? ` (${d.guestName})` : ''}`;

/** What an event says, from its data (names as they were when it happened). */
export function describe(event: string, d: Record<string, unknown>): AlertText {
  const server = `"${str(d.serverName ?? d.name)}"`;
  const why = typeof d.error === 'string' && d.error ? [`Reason: ${d.error}`] : [];
  const since = typeof d.since === 'string' ? [`Since: ${d.since}`] : [];
  switch (event) {
    case 'server.offline':
      return {
        subject: `Server ${server} is offline`,
        lines: [`Nexus cannot reach server ${server}.`, ...since, ...why],
      };
    case 'server.tls_mismatch':
      return {
        subject: `Server ${server} presented a different certificate`,
        lines: [`The certificate of ${server} no longer matches the pinned fingerprint.`, ...since, ...why],
      };
    case 'server.auth_error':
      return {
        subject: `Server ${server} refuses Nexus's API token`,
        lines: [`Proxmox rejected the stored token of ${server}.`, ...since, ...why],
      };
    case 'server.refused':
      return {
        subject: `Server ${server} is refused by the egress policy`,
        lines: [`The address of ${server} is not among the allowed targets.`, ...since, ...why],
      };
    case 'server.online': {
      const down = num(d.downSeconds);
      const flaps = num(d.flaps) ?? 0;
      return {
        subject: `Server ${server} is back online`,
        lines: [
          `Server ${server} is reachable again${down !== null ? ` after ${duration(down)}` : ''}.`,
          ...(flaps > 0 ? [`It went down ${flaps} more time${flaps === 1 ? '' : 's'} in between (folded here).`] : []),
        ],
      };
    }
    case 'vm.action':
      return {
        subject: `${str(d.actorLabel, 'Someone')}: ${str(d.action)} on ${guestLabel(d)}`,
        lines: [
          `${str(d.actorLabel, 'Someone')} ran "${str(d.action)}" on ${guestLabel(d)} on server ${server}.`,
          ...(typeof d.actorIp === 'string' ? [`From: ${d.actorIp}`] : []),
        ],
      };
    case 'console.opened':
      return {
        subject: `${str(d.actorLabel, 'Someone')} opened the console of ${guestLabel(d)}`,
        lines: [
          `${str(d.actorLabel, 'Someone')} opened a ${d.viewOnly ? 'view-only ' : ''}console on ${guestLabel(d)} on server ${server}${d.shared ? ' through a share link' : ''}.`,
          ...(typeof d.actorIp === 'string' ? [`From: ${d.actorIp}`] : []),
        ],
      };
    case 'member.changed':
      return {
        subject: `Members changed: ${str(d.change)}`,
        lines: [`${str(d.actorLabel, 'Someone')}: ${str(d.change)} (${str(d.memberLabel, 'a member')}).`],
      };
    case 'account.sign_in':
      return {
        subject: 'New sign-in to your Nexus account',
        lines: [
          'Your account was used to sign in from a browser or address not seen before.',
          `Address: ${str(d.ip, 'unknown')}`,
          `Browser: ${str(d.userAgent, 'unknown')}`,
          'If this was not you, change your password and sign out other sessions on your security page.',
        ],
      };
    case 'test':
      return { subject: 'Test message from Nexus', lines: ['This channel is set up: Nexus can reach it.'] };
    case 'digest': {
      const items = Array.isArray(d.items) ? (d.items as { event: string; occurredAt: string; summary: string }[]) : [];
      return {
        subject: `${items.length} alerts from Nexus`,
        lines: [
          `${items.length} alerts were held (quiet hours or the hourly limit):`,
          ...items.slice(0, 50).map((i) => `• ${i.occurredAt} ${i.summary}`),
          ...(items.length > 50 ? [`… and ${items.length - 50} more`] : []),
        ],
      };
    }
    default:
      return { subject: `Nexus: ${event}`, lines: [] };
  }
}
