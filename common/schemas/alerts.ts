// Outbound alerts (DESIGN.md §9 "Outbound notifications"): a tenant's channels (e-mail
// addresses, webhooks with presets), per-server mutes, each channel's recent deliveries, a
// user's own alert e-mails, and the global admins' audit forwarding to a SIEM.
import { z } from 'zod';
import { Email, HttpUrl, IntRange, model, NonEmpty } from './shared';

/** What a channel can be told about. Server alerts open after a window and close on recovery. */
export const ALERT_EVENTS = [
  'server.offline',
  'server.online',
  'server.tls_mismatch',
  'server.auth_error',
  'server.refused',
  'vm.action',
  'console.opened',
  'member.changed',
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** Webhook body shapes: Nexus's own signed JSON, or ready-made messages for chat services. */
export const WEBHOOK_PRESETS = ['json', 'slack', 'teams', 'discord', 'ntfy', 'gotify'] as const;
export type WebhookPreset = (typeof WEBHOOK_PRESETS)[number];

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

/** An IANA time zone this server knows (Intl refuses the others). */
export const TimeZone = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as Europe/Vienna' },
  );

/** Messages due in this window wait for its end and then arrive as one digest. */
export const QuietHours = z
  .object({ from: Clock, to: Clock, timeZone: TimeZone })
  .refine((q) => q.from !== q.to, { message: 'from and to must differ', path: ['to'] });
export type QuietHours = z.infer<typeof QuietHours>;

const EventList = z
  .array(z.enum(ALERT_EVENTS))
  .min(1, 'choose at least one event')
  .max(ALERT_EVENTS.length)
  .refine((list) => new Set(list).size === list.length, { message: 'events must not repeat' });

/** A webhook's signing secret: printable, long enough to be a secret. */
const WebhookSecret = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** The languages alert texts are written in (the web app's, without its pseudo-locale). */
export const ALERT_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type AlertLanguage = (typeof ALERT_LANGUAGES)[number];

const common = {
  name: NonEmpty(80),
  events: EventList,
  enabled: z.boolean().default(true),
  /** More messages than this in an hour are folded into one digest. */
  maxPerHour: IntRange(1, 1000).default(20),
  quietHours: QuietHours.nullable().default(null),
  /** The language the channel's messages are written in. */
  language: z.enum(ALERT_LANGUAGES).default('en'),
};

export const CreateChannelBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), to: z.array(Email).min(1).max(20), ...common }).strict(),
  z
    .object({
      type: z.literal('webhook'),
      url: HttpUrl,
      secret: WebhookSecret.nullable().optional(),
      preset: z.enum(WEBHOOK_PRESETS).default('json'),
      ...common,
    })
    .strict(),
]);
export type CreateChannelBody = z.infer<typeof CreateChannelBody>;

/** Any subset; the type does not change. A webhook whose URL changes needs its secret again
 * (`secret`, or `null` for none): a stored secret never follows a changed endpoint. */
export const UpdateChannelBody = z
  .object({
    name: common.name,
    events: EventList,
    enabled: z.boolean(),
    maxPerHour: IntRange(1, 1000),
    quietHours: QuietHours.nullable(),
    language: z.enum(ALERT_LANGUAGES),
    to: z.array(Email).min(1).max(20),
    url: HttpUrl,
    secret: WebhookSecret.nullable(),
    preset: z.enum(WEBHOOK_PRESETS),
  })
  .partial()
  .strict();
export type UpdateChannelBody = z.infer<typeof UpdateChannelBody>;

export const ChannelHealth = z.object({
  lastSuccessAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
  /** The last failure's reason (no secret, capped). */
  lastError: z.string().nullable(),
  /** Set while deliveries fail; cleared by the next success. */
  failingSince: z.string().nullable(),
  /** Messages waiting (retrying, quiet hours, over the hourly limit). */
  pending: z.number(),
});

export const NotificationChannel = model('NotificationChannel', {
  id: z.string(),
  name: z.string(),
  type: z.enum(['email', 'webhook']),
  to: z.array(z.string()).nullable(),
  url: z.string().nullable(),
  preset: z.enum(WEBHOOK_PRESETS).nullable(),
  /** Whether a signing secret is stored; the secret itself is never returned. */
  hasSecret: z.boolean(),
  events: z.array(z.enum(ALERT_EVENTS)),
  enabled: z.boolean(),
  maxPerHour: z.number(),
  quietHours: QuietHours.nullable(),
  language: z.enum(ALERT_LANGUAGES),
  createdAt: z.string(),
  updatedAt: z.string(),
  health: ChannelHealth,
});
export type NotificationChannel = z.infer<typeof NotificationChannel>;

export const ChannelList = z.object({ channels: z.array(NotificationChannel) });
export const ChannelParams = z.object({ tenantId: z.uuid().toLowerCase(), channelId: z.uuid().toLowerCase() });

export const ChannelTestResult = z.object({
  ok: z.boolean(),
  /** Why it failed, in words (no secret). */
  error: z.string().nullable(),
  durationMs: z.number(),
});

export const DELIVERY_STATES = ['pending', 'sent', 'failed', 'folded', 'skipped'] as const;

export const Delivery = z.object({
  id: z.string(),
  event: z.string(),
  summary: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;
export const DeliveryList = z.object({ deliveries: z.array(Delivery) });

/** Per-server mute: the server's alerts are not sent until `until`. */
export const AlertMute = z.object({
  serverId: z.string(),
  serverName: z.string().nullable(),
  until: z.string(),
  reason: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export type AlertMute = z.infer<typeof AlertMute>;
export const AlertMuteList = z.object({ mutes: z.array(AlertMute) });
export const MuteParams = z.object({ tenantId: z.uuid().toLowerCase(), serverId: z.uuid().toLowerCase() });
export const MuteBody = z
  .object({
    /** When the mute ends: in the future, at most 30 days ahead. */
    until: z.iso.datetime({ offset: true }),
    reason: z.string().trim().max(200).nullable().optional(),
  })
  .strict();

/** A user's own alert e-mails. */
export const PersonalAlerts = model('PersonalAlerts', {
  /** Someone else started, stopped or rebooted a guest this user can see. */
  guestPower: z.boolean(),
  /** A sign-in to this account from a device (browser and address) not seen before. */
  signIn: z.boolean(),
});
export type PersonalAlerts = z.infer<typeof PersonalAlerts>;
export const PersonalAlertsPatch = PersonalAlerts.partial().strict();

/** Where the audit log is forwarded, as global admins see it (secrets never shown). */
export const SyslogTarget = z
  .string()
  .max(300)
  .regex(/^(tcp|tls):\/\/[^/\s]+:\d{1,5}$/, 'must be tcp://host:port or tls://host:port');

export const ForwardStatus = z.object({
  /** The last audit row delivered (its seq), and when. */
  lastSeq: z.number(),
  lastSentAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Audit rows written but not yet delivered. */
  behind: z.number(),
});

export const AuditForwarding = model('AuditForwarding', {
  syslog: z.object({ url: z.string(), hasCa: z.boolean(), enabled: z.boolean(), status: ForwardStatus }).nullable(),
  webhook: z
    .object({ url: z.string(), hasSecret: z.boolean(), enabled: z.boolean(), status: ForwardStatus })
    .nullable(),
});

export const AuditForwardingBody = z
  .object({
    /** null removes the sink. `caPem`: trust this CA for tls:// (else the system's). */
    syslog: z
      .object({
        url: SyslogTarget,
        caPem: z.string().max(20_000).nullable().optional(),
        enabled: z.boolean().default(true),
      })
      .nullable()
      .optional(),
    webhook: z
      .object({ url: HttpUrl, secret: WebhookSecret.nullable().optional(), enabled: z.boolean().default(true) })
      .nullable()
      .optional(),
  })
  .strict();

const SinkTest = z.object({ ok: z.boolean(), error: z.string().nullable() }).nullable();
export const ForwardTestResult = z.object({ syslog: SinkTest, webhook: SinkTest });
