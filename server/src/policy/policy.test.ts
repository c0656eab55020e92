import { GUEST_PERMISSION_FOR, ROLE_PERMISSIONS, TENANT_PERMISSIONS } from '@common/permissions';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  auditReach,
  authorize,
  guestAbilities,
  guestKey,
  limitedToOwn,
  mayReplayOwn,
  RESTRICTED_REACH,
  type TenantScope,
} from './policy';

const actor = (role: 'manager' | 'viewer' | 'admin', globalRole: 'user' | 'admin' = 'user'): Actor => ({
  userId: 'u1',
  email: 'u1@example.test',
  globalRole,
  via: 'session',
  sessionId: 's',
  tokenId: null,
  csrfToken: null,
  memberships: new Map([['t1', role]]),
});
const S1 = 'server-1';
const scope = (role: 'manager' | 'viewer', guests: [string, number][] | null): TenantScope => ({
  tenantId: 't1',
  exists: true,
  active: true,
  role,
  assignments:
    guests && new Map(guests.map(([s, v]) => [guestKey(s, v), new Set(['view', 'console', 'power'] as const)])),
});

describe('restricted members', () => {
  it('keep no tenant permission outside the table, whatever the role', () => {
    const restricted = scope('manager', [[S1, 100]]);
    for (const p of TENANT_PERMISSIONS) {
      if (!ROLE_PERMISSIONS.manager.has(p)) continue;
      const onTenant = authorize(actor('manager'), p, { kind: 'tenant', scope: restricted }).allowed;
      expect(onTenant, p).toBe(RESTRICTED_REACH[p] !== 'none');
    }
    for (const p of ['server:manage', 'member:read', 'explorer:read'] as const) {
      expect(authorize(actor('manager'), p, { kind: 'server', scope: restricted, serverId: S1 })).toMatchObject({
        allowed: false,
        status: 403,
      });
    }
  });

  it('reach only assigned guests and the servers hosting them; with none left, nothing', () => {
    const some = scope('manager', [[S1, 100]]);
    const none = scope('manager', []);
    const a = actor('manager');
    expect(authorize(a, 'vm:power', { kind: 'guest', scope: some, serverId: S1, vmid: 100 }).allowed).toBe(true);
    expect(authorize(a, 'vm:read', { kind: 'guest', scope: some, serverId: S1, vmid: 102 }).allowed).toBe(false);
    expect(authorize(a, 'server:read', { kind: 'server', scope: some, serverId: 'server-2' }).allowed).toBe(false);
    for (const p of Object.keys(GUEST_PERMISSION_FOR) as (keyof typeof GUEST_PERMISSION_FOR)[]) {
      expect(authorize(a, p, { kind: 'guest', scope: none, serverId: S1, vmid: 100 }).allowed).toBe(false);
    }
    expect(authorize(a, 'server:read', { kind: 'server', scope: none, serverId: S1 }).allowed).toBe(false);
  });

  it('see only their own actions in the tenant audit log; global admins see all', () => {
    expect(limitedToOwn(actor('manager'), scope('manager', []), 'audit:read')).toBe(true);
    expect(limitedToOwn(actor('manager'), scope('manager', null), 'audit:read')).toBe(false);
    expect(limitedToOwn(actor('manager', 'admin'), scope('manager', []), 'audit:read')).toBe(false);
  });
});

describe('share abilities', () => {
  const on = (a: Actor, s: TenantScope, sharing: 'off' | 'view' | 'control', vmid = 100) =>
    guestAbilities(a, s, S1, vmid, { viewerConsole: 'view-only', consoleSharing: sharing }).share;

  it('give at most what the member’s own console is and what the tenant allows', () => {
    const manager = actor('manager');
    const all = scope('manager', null);
    expect(on(manager, all, 'control')).toBe('control');
    expect(on(manager, all, 'view')).toBe('view');
    expect(on(manager, all, 'off')).toBe('none');
    // Viewers may watch consoles but share none.
    expect(on(actor('viewer'), scope('viewer', null), 'control')).toBe('none');
  });

  it('need the guest’s console right for a restricted manager', () => {
    const restricted = scope('manager', [[S1, 100]]);
    expect(on(actor('manager'), restricted, 'control')).toBe('control');
    expect(on(actor('manager'), restricted, 'control', 101)).toBe('none');
    const noConsole: TenantScope = {
      ...restricted,
      assignments: new Map([[guestKey(S1, 100), new Set(['view'] as const)]]),
    };
    expect(on(actor('manager'), noConsole, 'control')).toBe('none');
  });
});

describe('replaying one’s own recordings', () => {
  it('follows the console right: the guest assigned with console, the role, node shells only for admins', () => {
    const m = actor('manager');
    expect(mayReplayOwn(m, scope('manager', null), { serverId: S1, vmid: 100 })).toBe(true);
    expect(mayReplayOwn(m, scope('manager', [[S1, 100]]), { serverId: S1, vmid: 100 })).toBe(true);
    expect(mayReplayOwn(m, scope('manager', [[S1, 101]]), { serverId: S1, vmid: 100 })).toBe(false);
    const viewOnly: TenantScope = {
      ...scope('manager', null),
      assignments: new Map([[guestKey(S1, 100), new Set(['view'] as const)]]),
    };
    expect(mayReplayOwn(m, viewOnly, { serverId: S1, vmid: 100 })).toBe(false);
    // A node shell's recording: only while the role has node shells (managers never do).
    expect(mayReplayOwn(m, scope('manager', null), { serverId: S1, vmid: null })).toBe(false);
    // Not a member any more: nothing.
    expect(mayReplayOwn(m, { ...scope('manager', null), role: null }, { serverId: S1, vmid: 100 })).toBe(false);
  });
});

describe('audit reach', () => {
  it('everyone’s doings for roles with the audit log; one’s own for viewers and restricted members', () => {
    expect(auditReach(actor('manager'), scope('manager', null))).toBe('all');
    expect(auditReach(actor('viewer'), scope('viewer', null))).toBe('own');
    expect(auditReach(actor('manager'), scope('manager', [[S1, 100]]))).toBe('own');
    expect(auditReach(actor('viewer', 'admin'), scope('viewer', null))).toBe('all');
  });
});
