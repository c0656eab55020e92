import { describe, expect, it } from 'vitest';
import { Accounts } from './accounts';
import { type AclEntry, aclPrivileges, BUILTIN_ROLES, intersectPrivs } from './privileges';

const acl = (path: string, role: string, propagate = true): AclEntry => ({
  path,
  privs: BUILTIN_ROLES[role] ?? [],
  propagate,
});

describe('ACL evaluation', () => {
  it('inherits propagating ACLs and lets a deeper ACL replace them', () => {
    const acls = [acl('/', 'PVEAuditor'), acl('/vms/101', 'NoAccess')];
    expect(aclPrivileges(acls, '/vms/100').has('VM.Audit')).toBe(true);
    expect(aclPrivileges(acls, '/vms/101').size).toBe(0);
  });

  it('applies a non-propagating ACL only on its own path', () => {
    const acls = [acl('/vms', 'PVEVMUser', false)];
    expect(aclPrivileges(acls, '/vms').get('VM.Console')).toBe(false);
    expect(aclPrivileges(acls, '/vms/100').size).toBe(0);
  });

  it('intersects user and token privileges for privilege separation', () => {
    const user = aclPrivileges([acl('/', 'PVEVMUser')], '/vms/100');
    const token = aclPrivileges([{ path: '/vms', privs: ['VM.Audit', 'Sys.Audit'], propagate: true }], '/vms/100');
    expect([...intersectPrivs(user, token).keys()]).toEqual(['VM.Audit']);
  });
});

describe('Accounts.permissions', () => {
  const accounts = new Accounts();
  accounts.addUser({ userid: 'alice@pve', enabled: true, expire: 0, acls: [acl('/pool/lab', 'PVEVMUser')] });
  const who = { authid: 'alice@pve', userid: 'alice@pve', token: null };

  it('adds the rights of the guest pool to /vms/{vmid}', () => {
    expect(accounts.permissions(who, '/vms/100', 'lab').has('VM.PowerMgmt')).toBe(true);
    expect(accounts.permissions(who, '/vms/100', 'prod').size).toBe(0);
    expect(accounts.permissions(who, '/vms/100').size).toBe(0);
  });

  it('gives root@pam every privilege and a privsep token only its own share', () => {
    const root = { authid: 'root@pam', userid: 'root@pam', token: null };
    expect(accounts.permissions(root, '/nodes/x').has('Sys.PowerMgmt')).toBe(true);
    accounts.addUser({ userid: 'root@pam', enabled: true, expire: 0, acls: [] });
    accounts.addToken({
      userid: 'root@pam',
      tokenid: 'ro',
      secret: 's',
      privsep: true,
      expire: 0,
      acls: [acl('/', 'PVEAuditor')],
    });
    const token = { authid: 'root@pam!ro', userid: 'root@pam', token: 'ro' };
    expect(accounts.permissions(token, '/vms/1').has('VM.Audit')).toBe(true);
    expect(accounts.permissions(token, '/vms/1').has('VM.PowerMgmt')).toBe(false);
  });
});
