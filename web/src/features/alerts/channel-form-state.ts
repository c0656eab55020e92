// The channel dialog's state and the request it makes: addresses parsed from free text, quiet
// hours optional, and the server's rule mirrored — a webhook whose URL changes needs its secret
// again (or "no secret" chosen), so a stored secret never follows a new URL.
import { ALERT_EVENTS, type AlertEvent, TimeZone, type WebhookPreset } from '@common/schemas/alerts';
import { Email, HttpUrl } from '@common/schemas/shared';
import type { Channel } from './api/alerts';

export interface ChannelForm {
  type: 'email' | 'webhook';
  name: string;
  /** Addresses, separated by commas, spaces or lines. */
  to: string;
  /** On an edit: empty until the user types a new URL (the stored one is shown masked). */
  url: string;
  preset: WebhookPreset;
  /** `keep`: leave the stored secret; `set`: use `secret` (empty: none, unless one is stored —
   * then a replacement must be typed); `none`: remove the stored secret. */
  secretMode: 'keep' | 'set' | 'none';
  secret: string;
  events: AlertEvent[];
  enabled: boolean;
  maxPerHour: number;
  quiet: boolean;
  quietFrom: string;
  quietTo: string;
  timeZone: string;
}

export const EVENT_LABELS: Record<AlertEvent, string> = {
  'server.offline': 'Server offline (after the tenant’s window)',
  'server.online': 'Server back online',
  'server.tls_mismatch': 'Certificate changed (TLS mismatch)',
  'server.auth_error': 'API token refused',
  'server.refused': 'Address refused by the egress policy',
  'vm.action': 'Guest power actions, snapshots, backups',
  'console.opened': 'Console opened',
  'member.changed': 'Members changed',
};

/** The same events in a word or two, for the channel list. */
export const EVENT_SHORT: Record<AlertEvent, string> = {
  'server.offline': 'Offline',
  'server.online': 'Back online',
  'server.tls_mismatch': 'Certificate changed',
  'server.auth_error': 'Token refused',
  'server.refused': 'Address refused',
  'vm.action': 'Guest actions',
  'console.opened': 'Console opened',
  'member.changed': 'Members changed',
};

export const PRESET_LABELS: Record<WebhookPreset, string> = {
  json: 'Nexus JSON (signed)',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  discord: 'Discord',
  ntfy: 'ntfy',
  gotify: 'Gotify',
};

export const ALL_EVENTS = ALERT_EVENTS;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function initialForm(channel: Channel | null): ChannelForm {
  if (!channel) {
    return {
      type: 'email',
      name: '',
      to: '',
      url: '',
      preset: 'json',
      secretMode: 'set',
      secret: '',
      events: ['server.offline', 'server.online', 'server.tls_mismatch', 'server.auth_error'],
      enabled: true,
      maxPerHour: 20,
      quiet: false,
      quietFrom: '22:00',
      quietTo: '07:00',
      timeZone: browserZone(),
    };
  }
  return {
    type: channel.type,
    name: channel.name,
    to: (channel.to ?? []).join(', '),
    url: '',
    preset: channel.preset ?? 'json',
    secretMode: channel.hasSecret ? 'keep' : 'set',
    secret: '',
    events: [...channel.events],
    enabled: channel.enabled,
    maxPerHour: channel.maxPerHour,
    quiet: channel.quietHours !== null,
    quietFrom: channel.quietHours?.from ?? '22:00',
    quietTo: channel.quietHours?.to ?? '07:00',
    timeZone: channel.quietHours?.timeZone ?? browserZone(),
  };
}

export const parseAddresses = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean);

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether an edit gives a webhook a new URL while its stored secret would follow it. */
export const secretMustChange = (f: ChannelForm, editing: Channel | null): boolean =>
  Boolean(editing?.hasSecret && f.url.trim() && f.secretMode === 'keep');

function secretProblem(f: ChannelForm, editing: Channel | null): string | null {
  if (secretMustChange(f, editing)) return 'The URL changes: enter the secret again, or remove it.';
  if (f.secretMode !== 'set') return null;
  if (!f.secret) return editing?.hasSecret ? 'Enter the new secret, or keep the stored one.' : null;
  if (f.secret.length < 16) return 'A secret has at least 16 characters.';
  if (f.secret.length > 200) return 'A secret has at most 200 characters.';
  if (!/^[\x21-\x7e]+$/.test(f.secret)) return 'A secret is printable ASCII without spaces.';
  return null;
}

/** What keeps the form from being sent, in words (null: it may be sent). */
export function formProblem(f: ChannelForm, editing: Channel | null): string | null {
  if (!f.name.trim()) return 'Give the channel a name.';
  if (f.name.trim().length > 80) return 'A name has at most 80 characters.';
  if (f.events.length === 0) return 'Choose at least one event.';
  if (!Number.isInteger(f.maxPerHour) || f.maxPerHour < 1 || f.maxPerHour > 1000) {
    return 'The hourly limit is a whole number from 1 to 1000.';
  }
  if (f.quiet) {
    if (!CLOCK.test(f.quietFrom) || !CLOCK.test(f.quietTo)) return 'Quiet hours are HH:MM (24 h).';
    if (f.quietFrom === f.quietTo) return 'Quiet hours must start and end at different times.';
    if (!TimeZone.safeParse(f.timeZone).success) return `“${f.timeZone}” is not a time zone (e.g. Europe/Vienna).`;
  }
  if (f.type === 'email') {
    const list = parseAddresses(f.to);
    if (list.length === 0) return 'Give at least one address.';
    if (list.length > 20) return 'At most 20 addresses.';
    const bad = list.find((a) => !Email.safeParse(a).success);
    return bad ? `“${bad}” is not an e-mail address.` : null;
  }
  const url = f.url.trim();
  if (!editing && !url) return 'Give the webhook URL.';
  if (url && !HttpUrl.safeParse(url).success) return 'The URL must be an http:// or https:// address.';
  return secretProblem(f, editing);
}

function secretBody(f: ChannelForm, editing: Channel | null): { secret?: string | null } {
  if (f.secretMode === 'keep') return {};
  if (f.secretMode === 'none') return { secret: null };
  if (f.secret) return { secret: f.secret };
  // An empty field: no secret for a new channel or a new URL; otherwise nothing changes.
  return !editing || f.url.trim() ? { secret: null } : {};
}

/** The request body: everything for a new channel; only what the form can change on an edit. */
export function channelBody(f: ChannelForm, editing: Channel | null): Record<string, unknown> {
  const common = {
    name: f.name.trim(),
    events: f.events,
    enabled: f.enabled,
    maxPerHour: f.maxPerHour,
    quietHours: f.quiet ? { from: f.quietFrom, to: f.quietTo, timeZone: f.timeZone.trim() } : null,
  };
  if (f.type === 'email') {
    const to = parseAddresses(f.to);
    return editing ? { ...common, to } : { type: 'email', ...common, to };
  }
  const url = f.url.trim();
  const secret = secretBody(f, editing);
  if (!editing) return { type: 'webhook', ...common, url, preset: f.preset, ...secret };
  return { ...common, preset: f.preset, ...(url ? { url } : {}), ...secret };
}

/** Where a channel sends, for the list: its addresses, or the webhook's host. */
export function channelTarget(c: Channel): string {
  if (c.type === 'email') return (c.to ?? []).join(', ');
  const m = /^https?:\/\/([^/?#]+)/.exec(c.url ?? '');
  return m?.[1] ?? c.url ?? '';
}

/** The first of a failed save's field errors at `key` or below it (`to.2`, `quietHours.to`). */
export function errorAt(errs: Record<string, string>, key: string): string | undefined {
  const hit = Object.keys(errs).find((k) => k === key || k.startsWith(`${key}.`));
  return hit ? errs[hit] : undefined;
}

const PLACED = ['name', 'to', 'url', 'preset', 'secret', 'events', 'maxPerHour', 'quietHours', 'enabled'];

/** Whether a failed save names a field the dialog does not show (its error then goes on top). */
export const hasUnplacedError = (errs: Record<string, string>): boolean =>
  Object.keys(errs).some((k) => !PLACED.includes(k.split('.')[0] ?? ''));
