// The permission catalogue and the one role → permissions table (DESIGN.md §5).
// Server policy and the web UI both read it; the UI still gates on the `can` the server returns.

export const GLOBAL_ROLES = ['admin', 'user'] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];

export const TENANT_ROLES = ['admin', 'manager', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export const GUEST_PERMISSIONS = ['view', 'console', 'power', 'snapshot'] as const;
export type GuestPermission = (typeof GUEST_PERMISSIONS)[number];

/** Permissions that need no tenant: checked against the global role. */
export const GLOBAL_PERMISSIONS = ['tenant:create', 'tenant:delete', 'user:manage', 'audit:global'] as const;
export type GlobalPermission = (typeof GLOBAL_PERMISSIONS)[number];

/** Permissions inside one tenant: checked against the member's role (global admins hold all). */
export const TENANT_PERMISSIONS = [
  'tenant:read',
  'tenant:update',
  'settings:read',
  'settings:update',
  'member:read',
  'member:manage',
  'server:read',
  'server:manage',
  /** Choose TLS mode `insecure` for a server (tenant admins only; managers manage servers otherwise). */
  'server:insecure',
  'vm:read',
  'vm:power',
  /** Take, roll back and delete a guest's snapshots. */
  'vm:snapshot',
  /** Back a guest up now (vzdump); restore is not offered. */
  'vm:backup',
  'vm:console',
  /** Create and revoke console share links (a guest one may open; view links only for those
   * whose own console is view-only). */
  'console:share',
  /** A shell on a Proxmox node (tenant admins only, and only with the tenant setting `nodeShell`). */
  'node:shell',
  'explorer:read',
  'explorer:write',
  'audit:read',
  'events:subscribe',
  'notification:read',
  /** Outbound alert channels (e-mail, webhooks), their tests and deliveries, per-server mutes. */
  'notification:manage',
  /** Console recordings: one's own (every role); `recording:manage` sees and deletes all. */
  'recording:read',
  'recording:manage',
] as const;
export type TenantPermission = (typeof TENANT_PERMISSIONS)[number];

export type Permission = GlobalPermission | TenantPermission;

/**
 * What a personal API token may be used for, on top of its user's permissions: `read` (GET
 * routes), `operate` (state-changing routes), `console` (console tickets and streams). No token
 * manages tokens, changes the account or manages users, whatever its scopes.
 */
export const TOKEN_SCOPES = ['read', 'operate', 'console'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
/** Scopes of a token created without any: the least it can be useful with. */
export const DEFAULT_TOKEN_SCOPES: readonly TokenScope[] = ['read'];

const ALL_TENANT = new Set<TenantPermission>(TENANT_PERMISSIONS);

// Viewers' console is further limited by the tenant setting `viewerConsole` (none | view-only).
const VIEWER: readonly TenantPermission[] = [
  'tenant:read',
  'settings:read',
  'server:read',
  'vm:read',
  'vm:console',
  'explorer:read',
  'events:subscribe',
  'notification:read',
  'recording:read',
];

/** Managers hold all a viewer does, and run the tenant's servers and guests (not its settings or members). */
const MANAGER: readonly TenantPermission[] = [
  ...VIEWER,
  'member:read',
  'server:manage',
  'vm:power',
  'vm:snapshot',
  'vm:backup',
  'console:share',
  'audit:read',
];

export const ROLE_PERMISSIONS: Record<TenantRole, ReadonlySet<TenantPermission>> = {
  admin: ALL_TENANT,
  manager: new Set(MANAGER),
  viewer: new Set(VIEWER),
};

/** Which guest-assignment permission a tenant permission needs, for members restricted to guests. */
export const GUEST_PERMISSION_FOR: Partial<Record<TenantPermission, GuestPermission>> = {
  'vm:read': 'view',
  'vm:console': 'console',
  /** Sharing a console is handing out one's own console right. */
  'console:share': 'console',
  'vm:power': 'power',
  'vm:snapshot': 'snapshot',
  /** A backup preserves state like a snapshot: restricted members need the same right. */
  'vm:backup': 'snapshot',
};

export function isGlobalPermission(p: Permission): p is GlobalPermission {
  return (GLOBAL_PERMISSIONS as readonly string[]).includes(p);
}

export function roleAllows(role: TenantRole, p: TenantPermission): boolean {
  return ROLE_PERMISSIONS[role].has(p);
}
