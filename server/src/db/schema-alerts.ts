// The outbound alerts' tables: channels, the outbox, deliveries and their attempts, server alert
// state, mutes, people's alert preferences and known devices (beside schema.ts, which keeps the
// rest of the data model).

import type { Generated } from 'kysely';

type Millis = number;

export interface NotificationChannelsTable {
  id: string;
  tenant_id: string;
  name: string;
  /** `email` or `webhook`. */
  type: string;
  /** JSON: `{to: [...]}` or `{url, preset}`. */
  target: string;
  /** A webhook's signing secret sealed with the master key. */
  secret_sealed: string | null;
  /** JSON list of AlertEvent. */
  events: string;
  enabled: number;
  max_per_hour: number;
  /** JSON QuietHours or null. */
  quiet_hours: string | null;
  /** The messages' language (`de`, `fr`, `es`); null is English. */
  language?: string | null;
  created_at: Millis;
  updated_at: Millis;
  last_success_at: Millis | null;
  last_failure_at: Millis | null;
  last_error: string | null;
  failing_since: Millis | null;
}

export interface AlertOutboxTable {
  seq: Generated<number>;
  id: string;
  tenant_id: string | null;
  event: string;
  data: string;
  occurred_at: Millis;
  dispatched_at: Millis | null;
}

export interface AlertDeliveriesTable {
  seq: Generated<number>;
  id: string;
  outbox_id: string;
  tenant_id: string | null;
  channel_id: string | null;
  /** A personal alert's recipient (channel_id null). */
  user_id: string | null;
  event: string;
  summary: string;
  data: string;
  created_at: Millis;
  /** Not before (quiet hours end). */
  due_at: Millis;
  /** 1: held by quiet hours (folded into a digest at their end). */
  quiet: Generated<number>;
  /** pending | sent | failed | folded | skipped */
  state: string;
  attempts: Generated<number>;
  next_attempt_at: Millis | null;
  last_error: string | null;
  sent_at: Millis | null;
  /** A sender's claim (exactly one instance sends a delivery). */
  claimed_until: Millis | null;
  /** The digest this delivery was folded into. */
  digest_id: string | null;
}

export interface AlertAttemptsTable {
  id: string;
  delivery_id: string;
  at: Millis;
  ok: number;
  error: string | null;
  duration_ms: number;
}

export interface ServerAlertsTable {
  server_id: string;
  tenant_id: string;
  name: string;
  /** The alert event (server.offline, server.tls_mismatch, …). */
  kind: string;
  /** pending (inside the window) | firing | resolving (back, settling) */
  state: string;
  since: Millis;
  fired_at: Millis | null;
  resolving_since: Millis | null;
  flaps: number;
  error: string | null;
}

export interface AlertMutesTable {
  tenant_id: string;
  server_id: string;
  until: Millis;
  reason: string | null;
  created_by: string | null;
  created_at: Millis;
}

export interface UserAlertPrefsTable {
  user_id: string;
  guest_power: number;
  sign_in: number;
  updated_at: Millis;
}

export interface UserDevicesTable {
  user_id: string;
  device_hash: string;
  first_seen_at: Millis;
  last_seen_at: Millis;
}
