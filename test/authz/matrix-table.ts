// The expected authorization table: one row per route (method + Fastify URL pattern).
// `test/authz/matrix.int.test.ts` runs every row × every role × {own, foreign, other tenant,
// missing} object and fails on any unexpected allow, on any foreign/other-tenant answer that
// differs from the missing one, and on any registered route without a row here.
//
// Adding a route? Add a row:
//   { method: 'GET', url: '/api/tenants/:tenantId/things/:thingId', allow: MEMBERS }
// `allow` lists the roles that pass authorization on their own tenant's object (DESIGN.md §5).
// Params are filled from the fixtures (test/authz/fixtures.ts); add a param there if yours is new.
// Optional:
//   ownProbe: 'invalid-body' (default for POST/PUT/PATCH: sends a JSON array so an allowed caller
//             gets 400 after authorization and nothing changes), 'send' (send as is),
//             'missing-object' (allowed callers probe a missing child object, for DELETEs), or
//             'skip' (allowed callers are not probed; say why in `note`).
//   allowedStatus: statuses an allowed caller may get on the own object (default: anything but
//             401, 403 and the policy's 404s).
export type Role =
  | 'anonymous'
  | 'globalAdmin'
  | 'tenantAdmin'
  | 'manager'
  | 'viewer'
  | 'restrictedViewer'
  | 'restrictedManager'
  | 'otherTenant';

export const ROLES: Role[] = [
  'anonymous',
  'globalAdmin',
  'tenantAdmin',
  'manager',
  'viewer',
  'restrictedViewer',
  'restrictedManager',
  'otherTenant',
];

/** Members restricted to guests (to vmid 100 on A's server): guest-level rights only. */
export const RESTRICTED: Role[] = ['restrictedViewer', 'restrictedManager'];

export interface MatrixRow {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  allow: readonly Role[];
  ownProbe?: 'invalid-body' | 'send' | 'missing-object' | 'skip';
  allowedStatus?: readonly number[];
  /** A public route: no authorization at all (the public list is checked separately). */
  public?: boolean;
  /** Which param the "missing" comparison replaces (default: the last one). For a child that is
   * not an object of its own server (a task id), the foreign server is compared with a missing one. */
  missingParam?: string;
  /** Why this row is exercised differently, when it is. */
  note?: string;
}

const EVERYONE_SIGNED_IN: Role[] = [
  'globalAdmin',
  'tenantAdmin',
  'manager',
  'viewer',
  'restrictedViewer',
  'restrictedManager',
  'otherTenant',
];
const GLOBAL_ADMIN: Role[] = ['globalAdmin'];
/** Every member of the tenant, including those restricted to guests. */
export const MEMBERS: Role[] = ['globalAdmin', 'tenantAdmin', 'manager', 'viewer', ...RESTRICTED];
export const UNRESTRICTED_MEMBERS: Role[] = ['globalAdmin', 'tenantAdmin', 'manager', 'viewer'];
export const ADMINS: Role[] = ['globalAdmin', 'tenantAdmin'];
/** Unrestricted managers and up: server management, the member list. */
export const MANAGERS: Role[] = ['globalAdmin', 'tenantAdmin', 'manager'];
/** Managers and up on guests, including a manager restricted to (and given power on) guest 100. */
const GUEST_OPERATORS: Role[] = [...MANAGERS, 'restrictedManager'];

export const MATRIX: MatrixRow[] = [
  // system and public
  { method: 'GET', url: '/healthz', allow: [], public: true },
  { method: 'GET', url: '/readyz', allow: [], public: true },
  { method: 'GET', url: '/api/openapi.json', allow: [], public: true },
  { method: 'GET', url: '/metrics', allow: [], public: true },
  { method: 'POST', url: '/api/auth/login', allow: [], public: true },
  { method: 'POST', url: '/api/auth/mfa', allow: [], public: true },
  { method: 'GET', url: '/api/auth/providers', allow: [], public: true },
  { method: 'POST', url: '/api/auth/mfa/passkey-options', allow: [], public: true },
  { method: 'POST', url: '/api/auth/passkey/options', allow: [], public: true },
  { method: 'POST', url: '/api/auth/passkey', allow: [], public: true },
  { method: 'GET', url: '/api/auth/oidc/:providerId/login', allow: [], public: true },
  { method: 'GET', url: '/api/auth/oidc/:providerId/callback', allow: [], public: true },
  { method: 'POST', url: '/api/auth/signup', allow: [], public: true },
  { method: 'GET', url: '/api/auth/config', allow: [], public: true },
  { method: 'POST', url: '/api/auth/setup', allow: [], public: true },
  { method: 'GET', url: '/api/auth/invitations/:token', allow: [], public: true },
  { method: 'POST', url: '/api/auth/invitations/:token/accept', allow: [], public: true },
  // a share link's holder has no account: the link's token (or its single-use ticket) is all
  { method: 'GET', url: '/api/shares/:token', allow: [], public: true },
  { method: 'POST', url: '/api/shares/:token/console', allow: [], public: true },
  { method: 'GET', url: '/api/share-consoles/:ticket/ws', allow: [], public: true },

  // own account
  {
    method: 'POST',
    url: '/api/auth/logout',
    allow: EVERYONE_SIGNED_IN,
    ownProbe: 'skip',
    note: 'would end the session the matrix runs on; tested in auth tests',
  },
  { method: 'GET', url: '/api/auth/me', allow: EVERYONE_SIGNED_IN },
  {
    method: 'POST',
    url: '/api/auth/invitations/:token/join',
    allow: EVERYONE_SIGNED_IN,
    note: 'the fixture token is no invitation: allowed callers get 400 invitation.invalid',
  },
  { method: 'GET', url: '/api/auth/tokens', allow: EVERYONE_SIGNED_IN },
  { method: 'POST', url: '/api/auth/tokens', allow: EVERYONE_SIGNED_IN },
  { method: 'DELETE', url: '/api/auth/tokens/:tokenId', allow: EVERYONE_SIGNED_IN, ownProbe: 'missing-object' },
  { method: 'GET', url: '/api/account', allow: EVERYONE_SIGNED_IN },
  { method: 'PATCH', url: '/api/account', allow: EVERYONE_SIGNED_IN },
  // second factors and sessions of one's own account (test/identity/second-factors)
  { method: 'GET', url: '/api/account/mfa', allow: EVERYONE_SIGNED_IN },
  {
    method: 'POST',
    url: '/api/account/mfa/totp',
    allow: EVERYONE_SIGNED_IN,
    ownProbe: 'skip',
    note: 'would start an enrolment for the matrix users; tested in test/identity/second-factors',
  },
  { method: 'POST', url: '/api/account/mfa/totp/confirm', allow: EVERYONE_SIGNED_IN },
  { method: 'DELETE', url: '/api/account/mfa/totp', allow: EVERYONE_SIGNED_IN },
  { method: 'POST', url: '/api/account/mfa/recovery-codes', allow: EVERYONE_SIGNED_IN },
  { method: 'GET', url: '/api/account/sessions', allow: EVERYONE_SIGNED_IN },
  { method: 'GET', url: '/api/account/passkeys', allow: EVERYONE_SIGNED_IN },
  {
    method: 'POST',
    url: '/api/account/passkeys/options',
    allow: EVERYONE_SIGNED_IN,
    ownProbe: 'send',
    allowedStatus: [200, 403],
    note: 'needs an allowed Origin (the matrix sends none: 403 auth.origin_refused after authorization)',
  },
  { method: 'POST', url: '/api/account/passkeys', allow: EVERYONE_SIGNED_IN },
  { method: 'DELETE', url: '/api/account/passkeys/:passkeyId', allow: EVERYONE_SIGNED_IN, ownProbe: 'missing-object' },
  {
    method: 'DELETE',
    url: '/api/account/sessions',
    allow: EVERYONE_SIGNED_IN,
    ownProbe: 'skip',
    note: 'would sign the matrix’s other sessions out; tested in test/identity/second-factors',
  },
  {
    method: 'DELETE',
    url: '/api/account/sessions/:sessionId',
    allow: EVERYONE_SIGNED_IN,
    ownProbe: 'missing-object',
  },

  // global administration
  { method: 'GET', url: '/api/users', allow: GLOBAL_ADMIN },
  { method: 'POST', url: '/api/users', allow: GLOBAL_ADMIN },
  { method: 'PATCH', url: '/api/users/:userId', allow: GLOBAL_ADMIN },
  { method: 'GET', url: '/api/admin/audit-forwarding', allow: GLOBAL_ADMIN },
  { method: 'PUT', url: '/api/admin/audit-forwarding', allow: GLOBAL_ADMIN },
  {
    method: 'POST',
    url: '/api/admin/audit-forwarding/test',
    allow: GLOBAL_ADMIN,
    ownProbe: 'send',
    note: 'takes no body',
  },
  { method: 'GET', url: '/api/admin/identity-providers', allow: GLOBAL_ADMIN },
  { method: 'POST', url: '/api/admin/identity-providers', allow: GLOBAL_ADMIN },
  { method: 'PUT', url: '/api/admin/identity-providers/:providerId', allow: GLOBAL_ADMIN },
  {
    method: 'DELETE',
    url: '/api/admin/identity-providers/:providerId',
    allow: GLOBAL_ADMIN,
    ownProbe: 'missing-object',
  },
  {
    method: 'POST',
    url: '/api/users/:userId/mfa/reset',
    allow: GLOBAL_ADMIN,
    ownProbe: 'skip',
    note: 'resets a real user’s factors; tested in test/identity/second-factors',
  },
  { method: 'DELETE', url: '/api/users/:userId', allow: GLOBAL_ADMIN, ownProbe: 'missing-object' },
  { method: 'GET', url: '/api/audit', allow: GLOBAL_ADMIN },
  { method: 'GET', url: '/api/audit.csv', allow: GLOBAL_ADMIN },
  { method: 'GET', url: '/api/audit/verify', allow: GLOBAL_ADMIN },

  // tenants
  { method: 'GET', url: '/api/tenants', allow: EVERYONE_SIGNED_IN },
  { method: 'POST', url: '/api/tenants', allow: GLOBAL_ADMIN },
  { method: 'GET', url: '/api/tenants/:tenantId', allow: MEMBERS },
  { method: 'PATCH', url: '/api/tenants/:tenantId', allow: ADMINS },
  {
    method: 'DELETE',
    url: '/api/tenants/:tenantId',
    allow: GLOBAL_ADMIN,
    ownProbe: 'missing-object',
    note: 'global permission: the allowed probe targets a missing tenant',
  },
  { method: 'GET', url: '/api/tenants/:tenantId/settings', allow: MEMBERS },
  { method: 'PUT', url: '/api/tenants/:tenantId/settings', allow: ADMINS },
  { method: 'GET', url: '/api/tenants/:tenantId/stats', allow: MEMBERS },

  // members
  { method: 'GET', url: '/api/tenants/:tenantId/members', allow: MANAGERS },
  { method: 'POST', url: '/api/tenants/:tenantId/members', allow: ADMINS },
  { method: 'PUT', url: '/api/tenants/:tenantId/members/:userId', allow: ADMINS },
  { method: 'DELETE', url: '/api/tenants/:tenantId/members/:userId', allow: ADMINS, ownProbe: 'missing-object' },
  { method: 'GET', url: '/api/tenants/:tenantId/members/:userId/assignments', allow: MANAGERS },
  { method: 'GET', url: '/api/tenants/:tenantId/invitations', allow: ADMINS },
  {
    method: 'DELETE',
    url: '/api/tenants/:tenantId/invitations/:invitationId',
    allow: ADMINS,
    ownProbe: 'missing-object',
  },
  { method: 'PUT', url: '/api/tenants/:tenantId/members/:userId/assignments', allow: ADMINS },

  // servers (server:read for members, restricted ones to servers hosting their guests; server:manage to
  // write, never for restricted members)
  { method: 'GET', url: '/api/tenants/:tenantId/servers', allow: MEMBERS },
  { method: 'POST', url: '/api/tenants/:tenantId/servers', allow: MANAGERS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/export.csv', allow: MEMBERS },
  { method: 'POST', url: '/api/tenants/:tenantId/servers/probe', allow: MANAGERS },
  { method: 'POST', url: '/api/tenants/:tenantId/servers/import', allow: MANAGERS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId', allow: MEMBERS },
  { method: 'PATCH', url: '/api/tenants/:tenantId/servers/:serverId', allow: MANAGERS },
  {
    method: 'DELETE',
    url: '/api/tenants/:tenantId/servers/:serverId',
    allow: MANAGERS,
    ownProbe: 'missing-object',
  },
  {
    method: 'POST',
    url: '/api/tenants/:tenantId/servers/:serverId/test',
    allow: MANAGERS,
    ownProbe: 'send',
    note: 'takes no body; the allowed probe runs a real test against the fixture pve-sim server',
  },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/metrics', allow: MEMBERS },

  // realtime and notifications
  {
    method: 'GET',
    url: '/api/tenants/:tenantId/events',
    allow: MEMBERS,
    ownProbe: 'skip',
    note: 'a stream; tested in test/realtime',
  },
  { method: 'GET', url: '/api/tenants/:tenantId/notifications', allow: MEMBERS },
  { method: 'POST', url: '/api/tenants/:tenantId/notifications/read', allow: MEMBERS },

  // outbound alerts: a tenant's channels and mutes (tenant admins), one's own alert e-mails
  { method: 'GET', url: '/api/tenants/:tenantId/notification-channels', allow: ADMINS },
  { method: 'POST', url: '/api/tenants/:tenantId/notification-channels', allow: ADMINS },
  { method: 'PATCH', url: '/api/tenants/:tenantId/notification-channels/:channelId', allow: ADMINS },
  {
    method: 'DELETE',
    url: '/api/tenants/:tenantId/notification-channels/:channelId',
    allow: ADMINS,
    ownProbe: 'missing-object',
  },
  {
    method: 'POST',
    url: '/api/tenants/:tenantId/notification-channels/:channelId/test',
    allow: ADMINS,
    ownProbe: 'send',
    note: 'takes no body; the fixture channel points at a closed loopback port',
  },
  { method: 'GET', url: '/api/tenants/:tenantId/notification-channels/:channelId/deliveries', allow: ADMINS },
  { method: 'GET', url: '/api/tenants/:tenantId/alert-mutes', allow: ADMINS },
  { method: 'PUT', url: '/api/tenants/:tenantId/alert-mutes/:serverId', allow: ADMINS },
  { method: 'DELETE', url: '/api/tenants/:tenantId/alert-mutes/:serverId', allow: ADMINS, ownProbe: 'missing-object' },
  { method: 'GET', url: '/api/account/alerts', allow: EVERYONE_SIGNED_IN },
  { method: 'PUT', url: '/api/account/alerts', allow: EVERYONE_SIGNED_IN },

  // consoles (viewers hold vm:console; the tenant setting decides view-only or none)
  {
    method: 'POST',
    url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/console',
    allow: MEMBERS,
    ownProbe: 'send',
  },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/consoles', allow: MEMBERS },
  {
    method: 'GET',
    url: '/api/consoles/:ticket/ws',
    allow: EVERYONE_SIGNED_IN,
    note: 'authorizes through the ticket; a plain GET gets 426 (refusals are in test/consoles)',
  },

  {
    method: 'POST',
    url: '/api/tenants/:tenantId/servers/:serverId/nodes/:node/terminal',
    allow: ADMINS,
    ownProbe: 'send',
    note: 'the fixtures turn the tenant setting nodeShell on (its refusal is in test/consoles/terminals)',
  },
  {
    method: 'POST',
    url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/terminal',
    allow: MEMBERS,
    ownProbe: 'skip',
    note: "a ticket like the console's (its refusals and the upgrade are in test/consoles/terminals)",
  },
  // console share links (console:share: managers and up, a restricted manager on its guest)
  { method: 'POST', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/shares', allow: GUEST_OPERATORS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/shares', allow: GUEST_OPERATORS },
  {
    method: 'DELETE',
    url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/shares/:shareId',
    allow: GUEST_OPERATORS,
    ownProbe: 'missing-object',
  },
  // console recordings (recording:read for members, who reach only their own; recording:manage
  // for admins, who see and delete all of the tenant's)
  { method: 'GET', url: '/api/tenants/:tenantId/recordings', allow: MEMBERS },
  { method: 'GET', url: '/api/tenants/:tenantId/recordings/:recordingId', allow: MEMBERS },
  {
    method: 'GET',
    url: '/api/tenants/:tenantId/recordings/:recordingId/data',
    allow: MEMBERS,
    note: 'the fixtures hold rows without files: an allowed caller gets 409 after authorization',
  },
  {
    method: 'DELETE',
    url: '/api/tenants/:tenantId/recordings/:recordingId',
    allow: ADMINS,
    ownProbe: 'missing-object',
  },
  // inventory (vm:read for members, restricted ones to their guests; vm:power for managers and up)
  { method: 'GET', url: '/api/tenants/:tenantId/vms', allow: MEMBERS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms', allow: MEMBERS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid', allow: MEMBERS },
  {
    method: 'POST',
    url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/actions/:action',
    allow: GUEST_OPERATORS,
    missingParam: 'serverId',
    note: 'takes no body: the JSON-array probe is refused after authorization and nothing is powered; an action is not an object, so a foreign server is compared with a missing one',
  },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/rrddata', allow: MEMBERS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/hardware', allow: MEMBERS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/interfaces', allow: MEMBERS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/tasks', allow: MEMBERS },
  {
    method: 'GET',
    url: '/api/tenants/:tenantId/servers/:serverId/tasks/:upid/log',
    allow: MEMBERS,
    missingParam: 'serverId',
    note: 'a task belongs to its server: a foreign server answers like a missing server',
  },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/backups', allow: MEMBERS },
  {
    method: 'POST',
    url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/backups',
    allow: GUEST_OPERATORS,
    note: 'takes no body: the JSON-array probe is refused after authorization and nothing is backed up',
  },
  // snapshots (vm:snapshot: managers and up, and a restricted manager given the snapshot right)
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/snapshots', allow: MEMBERS },
  { method: 'POST', url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/snapshots', allow: GUEST_OPERATORS },
  {
    method: 'POST',
    url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/snapshots/:name/rollback',
    allow: GUEST_OPERATORS,
    missingParam: 'serverId',
    note: 'takes no body: the JSON-array probe is refused after authorization and nothing rolls back',
  },
  {
    method: 'DELETE',
    url: '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/snapshots/:name',
    allow: GUEST_OPERATORS,
    ownProbe: 'missing-object',
  },
  {
    method: 'POST',
    url: '/api/tenants/:tenantId/vms/actions/:action',
    allow: GUEST_OPERATORS,
    note: 'each guest is authorized again inside (a restricted manager gets per-guest refusals)',
  },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/nodes', allow: MEMBERS },
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/storage', allow: MANAGERS },
  {
    method: 'GET',
    url: '/api/tenants/:tenantId/servers/:serverId/tasks/:upid',
    allow: MEMBERS,
    missingParam: 'serverId',
    note: 'a task belongs to its server: a foreign server answers like a missing server',
  },

  // Proxmox API explorer (GET for unrestricted members, writes for tenant admins)
  { method: 'GET', url: '/api/tenants/:tenantId/servers/:serverId/pve/*', allow: UNRESTRICTED_MEMBERS },
  { method: 'POST', url: '/api/tenants/:tenantId/servers/:serverId/pve/*', allow: ADMINS },
  { method: 'PUT', url: '/api/tenants/:tenantId/servers/:serverId/pve/*', allow: ADMINS },
  {
    method: 'DELETE',
    url: '/api/tenants/:tenantId/servers/:serverId/pve/*',
    allow: ADMINS,
    ownProbe: 'send',
    note: 'the literal path `*` is refused (400) after authorization, so nothing is deleted',
  },

  // audit (a restricted manager sees only their own actions: test/security/restricted-members)
  { method: 'GET', url: '/api/tenants/:tenantId/audit', allow: GUEST_OPERATORS },
  { method: 'GET', url: '/api/tenants/:tenantId/audit.csv', allow: GUEST_OPERATORS },
];
