// The channel dialog's state and the request it makes: addresses parsed from free text, quiet
// hours optional, and the server's rule mirrored — a webhook whose URL changes needs its secret
// again (or "no secret" chosen), so a stored secret never follows a new URL.
import { ALERT_EVENTS, type AlertEvent, type WebhookPreset } from '@common/schemas/alerts';
import type { Channel } from './api/alerts';

export interface ChannelForm {
  type: 'email' | 'webhook';
  name: string;
  /** Addresses, separated by commas, spaces or lines. */
  to: string;
  /** On an edit: empty until the user types a new URL (the stored one is shown masked). */
  url: string;
  preset: WebhookPreset;
  /** `keep`: leave the stored secret; `set`: use `secret`; `none`: no secret. */
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

export const PRESET_LABELS: Record<WebhookPreset, string> = {
  json: 'Nexus JSON (signed)',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  discord: 'Discord',
  ntfy: 'ntfy',
  gotify: 'Gotify',
};

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function initialForm(channel: Channel | null): ChannelForm {
  if (!channel) {
    return {
      type: 'email',
      name: '',
      to: '',
      url: '',
      preset: 'json',
      secretMode: 'none',
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
    secretMode: channel.hasSecret ? 'keep' : 'none',
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

/** What keeps the form from being sent, in words (null: it may be sent). */
export function formProblem(f: ChannelForm, editing: Channel | null): string | null {
  if (!f.name.trim()) return 'Give the channel a name.';
  if (f.events.length === 0) return 'Choose at least one event.';
  if (f.type === 'email') {
    const list = parseAddresses(f.to);
    if (list.length === 0) return 'Give at least one address.';
    const bad = list.find((a) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a));
    if (bad) return `“${bad}” is not an e-mail address.`;
    return null;
  }
  if (!editing && !f.url) return 'Give the webhook URL.';
  if (f.url && !/^https?:\/\/\S+$/.test(f.url)) return 'The URL must start with http:// or https://.';
  if (editing?.hasSecret && f.url && f.secretMode === 'keep') {
    return 'The URL changes: enter the secret again, or choose no secret.';
  }
  if (f.secretMode === 'set' && f.secret.length < 16) return 'A secret has at least 16 characters.';
  return null;
}

/** The request body: everything for a new channel; only what the form can change on an edit. */
export function channelBody(f: ChannelForm, editing: Channel | null): Record<string, unknown> {
  const common = {
    name: f.name.trim(),
    events: f.events,
    enabled: f.enabled,
    maxPerHour: f.maxPerHour,
    quietHours: f.quiet ? { from: f.quietFrom, to: f.quietTo, timeZone: f.timeZone } : null,
  };
  if (f.type === 'email') {
    return editing ? { ...common, to: parseAddresses(f.to) } : { type: 'email', ...common, to: parseAddresses(f.to) };
  }
  const secret = f.secretMode === 'set' ? { secret: f.secret } : f.secretMode === 'none' ? { secret: null } : {};
  if (!editing) return { type: 'webhook', ...common, url: f.url, preset: f.preset, ...secret };
  const unchangedNone = f.secretMode === 'none' && !editing.hasSecret && !f.url;
  return { ...common, preset: f.preset, ...(f.url ? { url: f.url } : {}), ...(unchangedNone ? {} : secret) };
}

export const ALL_EVENTS = ALERT_EVENTS;
