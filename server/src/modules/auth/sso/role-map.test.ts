import { describe, expect, it } from 'vitest';
import { desiredRoles, parseRoleMap } from './role-map';

describe('the SSO role map', () => {
  it('parses group=tenant:role and group=global:admin, and names a bad entry', () => {
    const parsed = parseRoleMap('ops=acme:admin, devs = acme:viewer,root=global:admin');
    expect(parsed).toEqual({
      entries: [
        { group: 'ops', target: { tenant: 'acme', role: 'admin' } },
        { group: 'devs', target: { tenant: 'acme', role: 'viewer' } },
        { group: 'root', target: { global: 'admin' } },
      ],
    });
    expect(parseRoleMap('ops=acme:owner')).toEqual({ error: expect.stringContaining('"ops=acme:owner"') });
    expect(parseRoleMap('root=global:manager')).toEqual({ error: expect.stringContaining('global role') });
    expect(parseRoleMap('=acme:admin')).toEqual({ error: expect.any(String) });
    expect(parseRoleMap(undefined)).toEqual({ entries: [] });
    // Group names may hold "=" (LDAP DNs): the last one separates.
    expect(parseRoleMap('cn=ops,dc=x=acme:viewer')).toEqual({ error: expect.any(String) });
  });

  it('gives the highest mapped role per tenant, removes what no group gives, and leaves unmapped things alone', () => {
    const map = parseRoleMap('ops=acme:admin,devs=acme:viewer,devs=beta:manager,root=global:admin');
    if (!('entries' in map)) throw new Error('no map');
    const both = desiredRoles(map.entries, ['devs', 'ops']);
    expect(Object.fromEntries(both.tenants)).toEqual({ acme: 'admin', beta: 'manager' });
    expect(both.globalAdmin).toBe(false);
    const none = desiredRoles(map.entries, ['elsewhere']);
    expect(Object.fromEntries(none.tenants)).toEqual({ acme: null, beta: null });
    expect(desiredRoles(map.entries, ['root']).globalAdmin).toBe(true);
    const noGlobal = parseRoleMap('devs=acme:viewer');
    if (!('entries' in noGlobal)) throw new Error('no map');
    expect(desiredRoles(noGlobal.entries, ['devs']).globalAdmin).toBeNull();
  });
});
