// Row types of every table, shared by both dialects. Portable column types only:
// ids are text UUIDs, timestamps are epoch milliseconds (bigint), booleans are 0/1 integers,
// JSON is text. Repositories convert to and from the domain shapes.
import type {
  AlertAttemptsTable,
  AlertDeliveriesTable,
  AlertMutesTable,
  AlertOutboxTable,
  NotificationChannelsTable,
  ServerAlertsTable,
  UserAlertPrefsTable,
  UserDevicesTable,
} from './schema-alerts';
import type { ConsoleRecordingsTable } from './schema-recordings';

export type {
  AlertAttemptsTable,
  AlertDeliveriesTable,
  AlertMutesTable,
  AlertOutboxTable,
  ConsoleRecordingsTable,
  NotificationChannelsTable,
  ServerAlertsTable,
  UserAlertPrefsTable,
  UserDevicesTable,
};

import type { Generated } from 'kysely';

type Bool = number; // 0 | 1
type Millis = number;

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  full_name: string | null;
  avatar_url: string | null;
  global_role: string;
  disabled_at: Millis | null;
  password_changed_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
  /** When a global admin last reset the user's second factors (they are told). */
  factors_reset_at?: Millis | null;
  /** The web app's language the user chose (`en`, `de`, …); null: the browser's. Optional in
   * rows the app builds (a new account has none). */
  locale?: string | null;
}

export interface SessionsTable {
  id: string; // SHA-256 of the cookie value; the value itself is never stored
  user_id: string;
  csrf_token: string;
  created_at: Millis;
  last_seen_at: Millis;
  expires_at: Millis;
  ip: string | null;
  user_agent: string | null;
  /** 1: the user must enrol a second factor before anything else (NEXUS_REQUIRE_MFA). */
  must_enrol: Generated<number>;
  /** The identity provider the session signed in through (sign-out there too), else null. */
  sso_provider: string | null;
  /** 1: signed in through a provider trusted to enforce MFA, whose token said it did. */
  idp_mfa: Generated<number>;
}

export interface UserIdentitiesTable {
  id: string;
  user_id: string;
  provider_id: string;
  /** The provider's `sub` for the user. */
  subject: string;
  created_at: Millis;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  /** The authenticator's credential id (base64url). */
  credential_id: string;
  /** Its COSE public key (base64url). */
  public_key: string;
  counter: Generated<number>;
  /** JSON array of transports (usb, internal, hybrid…), or null. */
  transports: string | null;
  name: string;
  created_at: Millis;
  last_used_at: Millis | null;
}

export interface WebauthnChallengesTable {
  id: string;
  /** Null for a passwordless sign-in (the credential says who it is). */
  user_id: string | null;
  /** `register`, `login` (passwordless) or `second-factor`. */
  purpose: string;
  challenge: string;
  /** The page's origin the ceremony runs on (its host is the relying party id). */
  origin: string;
  expires_at: Millis;
}

export interface IdentityProvidersTable {
  id: string;
  name: string;
  issuer: string;
  client_id: string;
  /** Sealed with the master key (context `idp:<id>`); null for a public client. */
  client_secret_sealed: string | null;
  scopes: string;
  groups_claim: string;
  /** As NEXUS_OIDC_ROLE_MAP. */
  role_map: string;
  allow_linking: Bool;
  trust_mfa: Bool;
  created_at: Millis;
  updated_at: Millis;
}

export interface SsoLoginsTable {
  id: string; // SHA-256 of the `state` sent to the provider
  provider_id: string;
  /** SHA-256 of the cookie that binds the sign-in to the browser that started it. */
  browser_hash: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: Millis;
  expires_at: Millis;
}

export interface UserTotpTable {
  user_id: string;
  /** The TOTP secret (base32), sealed with the master key (context `totp:<userId>`). */
  secret_sealed: string;
  /** Null while enrolment waits for its first code. */
  confirmed_at: Millis | null;
  /** The last time step a code was accepted for: older and equal steps are refused (replay). */
  last_step: Generated<number>;
  created_at: Millis;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: Millis | null;
  created_at: Millis;
}

export interface MfaChallengesTable {
  id: string; // SHA-256 of the challenge cookie
  user_id: string;
  created_at: Millis;
  expires_at: Millis;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  /** Comma-separated TOKEN_SCOPES (read, operate, console). */
  scopes: string;
  created_at: Millis;
  last_used_at: Millis | null;
  expires_at: Millis | null;
}

/** Sign-in attempts counted against the limits: failed ones, and ones being checked (in_flight). */
export interface LoginFailuresTable {
  id: string;
  email: string;
  ip: string;
  created_at: Millis;
  in_flight: number;
}

export interface InvitationsTable {
  id: string;
  kind: string; // 'invite' | 'setup'
  token_hash: string;
  tenant_id: string | null;
  email: string | null;
  role: string | null;
  created_by: string | null;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface TenantsTable {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  logo_url: string | null;
  is_active: Bool;
  created_by: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface TenantSettingsTable {
  tenant_id: string;
  settings: string;
  updated_at: Millis;
}

export interface TenantKeysTable {
  tenant_id: string;
  key_id: string; // id of the master key that wraps it
  wrapped_key: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface UserTenantAssignmentsTable {
  id: string;
  user_id: string;
  tenant_id: string;
  role: string;
  created_at: Millis;
  /** Restricted to its guest assignments (possibly none); lifted only by an admin, explicitly. */
  restricted: Generated<Bool>;
}

export interface UserVmAssignmentsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  server_id: string;
  vmid: number;
  permissions: string; // comma-separated subset of view,console,power
  created_at: Millis;
}

export interface NotificationsTable {
  id: string;
  tenant_id: string;
  kind: string;
  payload: string;
  actor_user_id: string | null;
  created_at: Millis;
}

export interface NotificationReadsTable {
  notification_id: string;
  user_id: string;
  read_at: Millis;
}

export interface ProxmoxServersTable {
  id: string;
  tenant_id: string;
  name: string;
  host: string;
  port: number;
  token_id: string;
  token_secret_encrypted: string;
  tls_mode: string;
  tls_fingerprint: string | null;
  ca_pem: string | null;
  use_tailscale: Bool;
  tailscale_hostname: string | null;
  connection_timeout_ms: number;
  is_active: Bool;
  connection_status: string;
  last_health_check_at: Millis | null;
  health_check_error: string | null;
  avg_response_time_ms: number | null;
  success_rate: number | null;
  learned_timeout_ms: number | null;
  consecutive_failures: number;
  next_check_at: Millis | null;
  status_changed_at: Millis | null;
  created_by: string | null;
  created_at: Millis;
  updated_at: Millis;
  /** When GET /version last answered like Proxmox with the stored token, and for which endpoint. */
  verified_at: Millis | null;
  /** endpointKey() of the row at that time; the explorer relays only while it still matches. */
  verified_endpoint: string | null;
}

export interface ConnectionMetricsTable {
  id: string;
  tenant_id: string;
  server_id: string;
  kind: string; // health | api | console
  success: Bool;
  response_time_ms: number | null;
  error: string | null;
  created_at: Millis;
}

export interface AuditLogsTable {
  id: string;
  seq: number;
  tenant_id: string | null;
  actor_user_id: string | null;
  actor_label: string | null;
  actor_ip: string | null;
  user_agent: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  result: string; // success | failure | denied
  details: string | null;
  created_at: Millis;
  prev_hash: string;
  hash: string;
  /** The HMAC key (`ak-…`) of `hash`; null: a plain SHA-256 row from before keying (v0). */
  hash_key_id: string | null;
}

export interface AuditKeysTable {
  id: string;
  /** The chain key sealed under a master key (`v1.<master key id>.…`). */
  wrapped_key: string;
  created_at: Millis;
}

export interface ConsoleSessionsTable {
  id: string;
  ticket_hash: string;
  tenant_id: string;
  user_id: string;
  session_id: string | null;
  server_id: string;
  node: string | null;
  vmid: number;
  vm_type: string | null;
  view_only: Bool;
  expires_at: Millis;
  consumed_at: Millis | null;
  opened_at: Millis | null;
  closed_at: Millis | null;
  bytes_up: number;
  bytes_down: number;
  close_reason: string | null;
  instance_id: string | null;
  created_at: Millis;
  /** API token the ticket is bound to (tickets of cookie sessions use session_id). */
  token_id: string | null;
  /** Refreshed by the instance relaying the console; stale rows belong to a lost instance. */
  heartbeat_at: Millis | null;
  /** `vnc` (noVNC through vncproxy) or `terminal` (xterm.js through termproxy). */
  kind: string;
  /** A VM's serial port for a terminal (`serial0` …); null for containers and VNC. */
  serial: string | null;
  /** The share link it was opened through (user_id is then the link's creator). */
  share_id: string | null;
  /** The address of a share link's recipient (members are known by name). */
  client_ip: string | null;
}

export interface ConsoleSharesTable {
  id: string;
  token_hash: string;
  tenant_id: string;
  server_id: string;
  vmid: number;
  vm_type: string;
  /** `vnc` or `terminal`. */
  kind: string;
  /** `view` or `control`. */
  mode: string;
  note: string | null;
  created_by: string;
  created_at: Millis;
  expires_at: Millis;
  max_uses: number | null;
  uses: number;
  pin_hash: string | null;
  pin_failures: number;
  locked_at: Millis | null;
  revoked_at: Millis | null;
}

export interface RealtimeEventsTable {
  id: Generated<number>;
  tenant_id: string;
  payload: string;
  created_at: Millis;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: Millis;
}

export interface KvTable {
  key: string;
  value: string;
  updated_at: Millis;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  invitations: InvitationsTable;
  login_failures: LoginFailuresTable;
  tenants: TenantsTable;
  tenant_settings: TenantSettingsTable;
  tenant_keys: TenantKeysTable;
  user_tenant_assignments: UserTenantAssignmentsTable;
  user_vm_assignments: UserVmAssignmentsTable;
  notifications: NotificationsTable;
  notification_reads: NotificationReadsTable;
  proxmox_servers: ProxmoxServersTable;
  connection_metrics: ConnectionMetricsTable;
  audit_logs: AuditLogsTable;
  audit_keys: AuditKeysTable;
  console_sessions: ConsoleSessionsTable;
  console_shares: ConsoleSharesTable;
  console_recordings: ConsoleRecordingsTable;
  user_totp: UserTotpTable;
  recovery_codes: RecoveryCodesTable;
  mfa_challenges: MfaChallengesTable;
  user_identities: UserIdentitiesTable;
  sso_logins: SsoLoginsTable;
  passkeys: PasskeysTable;
  identity_providers: IdentityProvidersTable;
  webauthn_challenges: WebauthnChallengesTable;
  notification_channels: NotificationChannelsTable;
  alert_outbox: AlertOutboxTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_attempts: AlertAttemptsTable;
  server_alerts: ServerAlertsTable;
  alert_mutes: AlertMutesTable;
  user_devices: UserDevicesTable;
  user_alert_prefs: UserAlertPrefsTable;
  kv: KvTable;
  leases: LeasesTable;
  realtime_events: RealtimeEventsTable;
}
