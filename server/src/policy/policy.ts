// The one authorize(): every route and WebSocket upgrade goes through it (DESIGN.md §5).
// Default deny; "not a member" looks exactly like "does not exist".
import {
  type GlobalRole,
  GUEST_PERMISSION_FOR,
  type GuestPermission,
  isGlobalPermission,
  type Permission,
  roleAllows,
  type TenantPermission,
  type TenantRole,
  type TokenScope,
} from '@common/permissions';

export interface Actor {
  userId: string;
  email: string;
  globalRole: GlobalRole;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  /** For `via: 'token'`: what the token may be used for. Absent means nothing (fails closed). */
  tokenScopes?: ReadonlySet<TokenScope>;
  /** The session's CSRF token (cookie sessions only). */
  csrfToken: string | null;
  /** tenantId → role, for every tenant the user belongs to. */
  memberships: ReadonlyMap<string, TenantRole>;
  /** The user has a second factor (tenants with `requireMfa` let in only those). */
  secondFactor?: boolean;
  /** This session must enrol a second factor before anything else (NEXUS_REQUIRE_MFA). */
  mustEnrol?: boolean;
}

export type GuestKey = `${string}:${number}`;
export const guestKey = (serverId: string, vmid: number): GuestKey => `${serverId}:${vmid}`;

/** What the policy knows about one tenant for one actor, loaded once per request. */
export interface TenantScope {
  tenantId: string;
  exists: boolean;
  active: boolean;
  role: TenantRole | null;
  /**
   * null: unrestricted. Otherwise the member is restricted to guests: these are the only ones
   * they may touch, with what on each — and an empty map means none at all.
   */
  assignments: ReadonlyMap<GuestKey, ReadonlySet<GuestPermission>> | null;
  /** The tenant admits only members with a second factor (setting requireMfa). */
  mfaRequired?: boolean;
}

export type Target =
  | { kind: 'global' }
  | { kind: 'tenant'; scope: TenantScope }
  | { kind: 'server'; scope: TenantScope; serverId: string }
  | { kind: 'guest'; scope: TenantScope; serverId: string; vmid: number };

export type Decision =
  | { allowed: true }
  | {
      allowed: false;
      status: 401 | 403 | 404;
      code:
        | 'auth.unauthenticated'
        | 'auth.token_scope'
        | 'auth.mfa_required'
        | 'policy.forbidden'
        | 'tenant.inactive'
        | 'tenant.not_found'
        | 'server.not_found'
        | 'vm.not_found';
    };

const ALLOW: Decision = { allowed: true };

export const isGlobalAdmin = (actor: Actor | null): boolean => actor?.globalRole === 'admin';

export function authorize(actor: Actor | null, action: Permission, target: Target): Decision {
  if (!actor) return { allowed: false, status: 401, code: 'auth.unauthenticated' };
  if (isGlobalPermission(action)) {
    return isGlobalAdmin(actor) ? ALLOW : { allowed: false, status: 403, code: 'policy.forbidden' };
  }
  if (target.kind === 'global') return { allowed: false, status: 403, code: 'policy.forbidden' };
  const { scope } = target;
  if (!scope.exists) return { allowed: false, status: 404, code: 'tenant.not_found' };
  if (isGlobalAdmin(actor)) return ALLOW;
  if (!scope.role) return { allowed: false, status: 404, code: 'tenant.not_found' };
  if (!scope.active) return { allowed: false, status: 403, code: 'tenant.inactive' };
  // The tenant lets in only members with a second factor (setting requireMfa).
  if (scope.mfaRequired && !actor.secondFactor) return { allowed: false, status: 403, code: 'auth.mfa_required' };
  if (!roleAllows(scope.role, action)) return { allowed: false, status: 403, code: 'policy.forbidden' };
  return restrictByAssignments(scope, action, target);
}

/**
 * What a membership restricted to guests keeps of its role's tenant permissions: guest-level
 * rights on its own guests, a read-only view of the servers hosting them, and the tenant's own
 * pages. No server management, no members, no explorer, whatever the role.
 * - `tenant`: as the role allows; whatever it lists is filtered to the member's guests.
 * - `assigned`: a guest only if assigned (with the assignment's permission), a server only if
 *   it hosts an assigned guest; on the tenant, lists are filtered to those.
 * - `own`: only the member's own doings (the tenant audit log shows their actions only).
 * - `none`: refused.
 */
export type RestrictedReach = 'tenant' | 'assigned' | 'own' | 'none';

export const RESTRICTED_REACH: Record<TenantPermission, RestrictedReach> = {
  'tenant:read': 'tenant',
  'settings:read': 'tenant',
  'events:subscribe': 'tenant',
  'notification:read': 'tenant',
  'server:read': 'assigned',
  'vm:read': 'assigned',
  'vm:console': 'assigned',
  'console:share': 'assigned',
  'vm:power': 'assigned',
  'vm:snapshot': 'assigned',
  'vm:backup': 'assigned',
  'audit:read': 'own',
  'tenant:update': 'none',
  'settings:update': 'none',
  'member:read': 'none',
  'member:manage': 'none',
  'server:manage': 'none',
  'server:insecure': 'none',
  'node:shell': 'none',
  'explorer:read': 'none',
  'explorer:write': 'none',
  'notification:manage': 'none',
  'recording:read': 'own',
  'recording:manage': 'none',
};
/** How a route is reached, as far as API tokens are concerned. */
export interface RouteAccess {
  /** The route's `config.access`: a permission, or `authenticated` / `session`. */
  access: Permission | 'authenticated' | 'session';
  method: string;
  websocket: boolean;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The scope an API token needs for a route, from its access and method alone; null: no token
 * may use it. `session` routes (own tokens, the account, accepting invitations) and user
 * management never take a token, so a leaked token cannot mint more, outlive a password change
 * or create accounts. Consoles are their own scope: asking for a ticket and the stream itself.
 */
export function tokenScopeFor(route: RouteAccess): TokenScope | null {
  if (route.access === 'session' || route.access === 'user:manage') return null;
  if (route.websocket) return 'console';
  if (READ_METHODS.has(route.method)) return 'read';
  // A share link hands out a console: making and revoking one is the console scope's.
  const consoleAccess =
    route.access === 'vm:console' || route.access === 'node:shell' || route.access === 'console:share';
  return consoleAccess ? 'console' : 'operate';
}

/** Cookie sessions pass; an API token only with the scope the route needs. */
export function authorizeToken(actor: Actor, route: RouteAccess): Decision {
  if (actor.via !== 'token') return ALLOW;
  const needed = tokenScopeFor(route);
  return needed !== null && actor.tokenScopes?.has(needed)
    ? ALLOW
    : { allowed: false, status: 403, code: 'auth.token_scope' };
}

function restrictByAssignments(scope: TenantScope, action: TenantPermission, target: Target): Decision {
  const assignments = scope.assignments;
  if (!assignments) return ALLOW;
  if (RESTRICTED_REACH[action] === 'none') return { allowed: false, status: 403, code: 'policy.forbidden' };
  // Whatever the permission, a server or guest that is not theirs does not exist for them.
  if (target.kind === 'server') {
    const prefix = `${target.serverId}:`;
    for (const key of assignments.keys()) if (key.startsWith(prefix)) return ALLOW;
    return { allowed: false, status: 404, code: 'server.not_found' };
  }
  if (target.kind === 'guest') {
    const granted = assignments.get(guestKey(target.serverId, target.vmid));
    if (!granted) return { allowed: false, status: 404, code: 'vm.not_found' };
    const needed = GUEST_PERMISSION_FOR[action];
    if (needed && !granted.has(needed)) return { allowed: false, status: 403, code: 'policy.forbidden' };
  }
  return ALLOW;
}

/** Whether the caller sees only their own doings under this permission (see RESTRICTED_REACH). */
export function limitedToOwn(actor: Actor, scope: TenantScope, action: TenantPermission): boolean {
  return !isGlobalAdmin(actor) && scope.assignments !== null && RESTRICTED_REACH[action] === 'own';
}

/** Whose doings in the tenant's audit log the caller may read: everyone's, or only their own
 * (members restricted to guests, and roles without the audit log, which still see their own
 * doings where a page of theirs shows them — a recording's timeline). */
export function auditReach(actor: Actor, scope: TenantScope): 'all' | 'own' {
  const reads = authorize(actor, 'audit:read', { kind: 'tenant', scope }).allowed;
  return reads && !limitedToOwn(actor, scope, 'audit:read') ? 'all' : 'own';
}

/** Whose console recordings the caller sees: all of the tenant's (tenant and global admins) or
 * only their own. */
export function recordingReach(actor: Actor, scope: TenantScope): 'all' | 'own' {
  if (isGlobalAdmin(actor)) return 'all';
  return scope.role !== null && scope.assignments === null && roleAllows(scope.role, 'recording:manage')
    ? 'all'
    : 'own';
}

/**
 * Whether a caller with `own` reach may replay one of their recordings: only while they may still
 * open that console — a recording shows what the console showed, so a guest taken from a
 * restricted member, or a role that lost consoles or node shells, takes its recordings too.
 */
export function mayReplayOwn(
  actor: Actor,
  scope: TenantScope,
  recorded: { serverId: string; vmid: number | null },
): boolean {
  const target: Target =
    recorded.vmid === null
      ? { kind: 'server', scope, serverId: recorded.serverId }
      : { kind: 'guest', scope, serverId: recorded.serverId, vmid: recorded.vmid };
  return authorize(actor, recorded.vmid === null ? 'node:shell' : 'vm:console', target).allowed;
}

/** The guests a restricted member is assigned (null: unrestricted), parsed from their keys once here. */
export function assignedGuests(scope: TenantScope): { serverId: string; vmid: number }[] | null {
  if (!scope.assignments) return null;
  return [...scope.assignments.keys()].map((key) => {
    const i = key.lastIndexOf(':');
    return { serverId: key.slice(0, i), vmid: Number(key.slice(i + 1)) };
  });
}

/** The servers a restricted member may see — those hosting their guests; undefined: all. */
export function visibleServerIds(scope: TenantScope): string[] | undefined {
  const guests = assignedGuests(scope);
  return guests ? [...new Set(guests.map((g) => g.serverId))] : undefined;
}

/** Whether a restricted member may see a guest (used to filter lists). */
export function canSeeGuest(scope: TenantScope, serverId: string, vmid: number): boolean {
  return !scope.assignments || (scope.assignments.get(guestKey(serverId, vmid))?.has('view') ?? false);
}

export type ConsoleAbility = 'interactive' | 'view-only' | 'none';

/** The caller's abilities on a guest, returned as `can` so the UI never re-derives roles. */
/** The most a member's share links of a guest may give. */
export type ShareAbility = 'none' | 'view' | 'control';

export function guestAbilities(
  actor: Actor,
  scope: TenantScope,
  serverId: string,
  vmid: number,
  settings: { viewerConsole: 'none' | 'view-only'; consoleSharing: 'off' | 'view' | 'control' },
): { console: ConsoleAbility; power: boolean; snapshot: boolean; backup: boolean; share: ShareAbility } {
  const target: Target = { kind: 'guest', scope, serverId, vmid };
  const power = authorize(actor, 'vm:power', target).allowed;
  const snapshot = authorize(actor, 'vm:snapshot', target).allowed;
  const backup = authorize(actor, 'vm:backup', target).allowed;
  let console: ConsoleAbility = 'none';
  if (authorize(actor, 'vm:console', target).allowed) {
    const effectiveRole = isGlobalAdmin(actor) ? 'admin' : scope.role;
    console = effectiveRole === 'viewer' ? (settings.viewerConsole === 'none' ? 'none' : 'view-only') : 'interactive';
  }
  // A share link gives at most what its creator's console is, and what the tenant allows.
  let share: ShareAbility = 'none';
  if (console !== 'none' && settings.consoleSharing !== 'off' && authorize(actor, 'console:share', target).allowed) {
    share = console === 'interactive' && settings.consoleSharing === 'control' ? 'control' : 'view';
  }
  return { console, power, snapshot, backup, share };
}
