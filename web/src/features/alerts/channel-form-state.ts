// The channel dialog's state and the request it makes: addresses parsed from free text, quiet
// hours optional, and the server's rule mirrored — a webhook whose URL changes needs its secret
// again (or "no secret" chosen), so a stored secret never follows a new URL.
import {
  ALERT_EVENTS,
  ALERT_LANGUAGES,
  type AlertEvent,
  type AlertLanguage,
  TimeZone,
  type WebhookPreset,
} from '@common/schemas/alerts';
import { Email, HttpUrl } from '@common/schemas/shared';
import { currentLocale, translate } from '@/i18n/current-intl';
import type { Channel } from './api/alerts';
import { eventLabels, eventShort, notAnAddress, notATimeZone, problems } from './messages';

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
  language: AlertLanguage;
}

/** What an event is called: in a sentence (the dialog), or in a word or two (the channel list). */
export const eventLabel = (e: AlertEvent): string => translate(eventLabels[e]);
export const eventShortLabel = (e: AlertEvent): string => translate(eventShort[e]);

/** Product names: the same in every language. */
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
/** A new channel writes in the app's language (the pseudo-locale's in English). */
const browserLanguage = (): AlertLanguage => {
  const lang = currentLocale().split('-')[0];
  return (ALERT_LANGUAGES as readonly string[]).includes(lang ?? '') && currentLocale() !== 'en-XA'
    ? (lang as AlertLanguage)
    : 'en';
};

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
      language: browserLanguage(),
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
    language: channel.language,
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
  if (secretMustChange(f, editing)) return translate(problems.secretUrlChanges);
  if (f.secretMode !== 'set') return null;
  if (!f.secret) return editing?.hasSecret ? translate(problems.secretNew) : null;
  if (f.secret.length < 16) return translate(problems.secretShort);
  if (f.secret.length > 200) return translate(problems.secretLong);
  if (!/^[\x21-\x7e]+$/.test(f.secret)) return translate(problems.secretAscii);
  return null;
}

/** What keeps the form from being sent, in words (null: it may be sent). */
export function formProblem(f: ChannelForm, editing: Channel | null): string | null {
  if (!f.name.trim()) return translate(problems.name);
  if (f.name.trim().length > 80) return translate(problems.nameLong);
  if (f.events.length === 0) return translate(problems.events);
  if (!Number.isInteger(f.maxPerHour) || f.maxPerHour < 1 || f.maxPerHour > 1000) {
    return translate(problems.maxPerHour);
  }
  if (f.quiet) {
    if (!CLOCK.test(f.quietFrom) || !CLOCK.test(f.quietTo)) return translate(problems.clock);
    if (f.quietFrom === f.quietTo) return translate(problems.sameEnds);
    if (!TimeZone.safeParse(f.timeZone).success) return translate(notATimeZone, { zone: f.timeZone });
  }
  if (f.type === 'email') {
    const list = parseAddresses(f.to);
    if (list.length === 0) return translate(problems.noAddress);
    if (list.length > 20) return translate(problems.tooManyAddresses);
    const bad = list.find((a) => !Email.safeParse(a).success);
    return bad ? translate(notAnAddress, { address: bad }) : null;
  }
  const url = f.url.trim();
  if (!editing && !url) return translate(problems.noUrl);
  if (url && !HttpUrl.safeParse(url).success) return translate(problems.badUrl);
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
    language: f.language,
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

const PLACED = ['name', 'to', 'url', 'preset', 'secret', 'events', 'maxPerHour', 'quietHours', 'enabled', 'language'];

/** Whether a failed save names a field the dialog does not show (its error then goes on top). */
export const hasUnplacedError = (errs: Record<string, string>): boolean =>
  Object.keys(errs).some((k) => !PLACED.includes(k.split('.')[0] ?? ''));
