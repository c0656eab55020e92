// Proxmox VE's privilege model, small enough to read: built-in roles, ACL entries on paths, the
// rule that a deeper ACL replaces what a shallower one granted, pool membership adding the
// pool's rights to its guests, and privilege separation for API tokens (user ∩ token).

export const ALL_PRIVILEGES = [
  'Datastore.Allocate',
  'Datastore.AllocateSpace',
  'Datastore.AllocateTemplate',
  'Datastore.Audit',
  'Group.Allocate',
  'Mapping.Audit',
  'Mapping.Modify',
  'Mapping.Use',
  'Permissions.Modify',
  'Pool.Allocate',
  'Pool.Audit',
  'Realm.Allocate',
  'Realm.AllocateUser',
  'SDN.Allocate',
  'SDN.Audit',
  'SDN.Use',
  'Sys.AccessNetwork',
  'Sys.Audit',
  'Sys.Console',
  'Sys.Incoming',
  'Sys.Modify',
  'Sys.PowerMgmt',
  'Sys.Syslog',
  'User.Modify',
  'VM.Allocate',
  'VM.Audit',
  'VM.Backup',
  'VM.Clone',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Console',
  'VM.GuestAgent.Audit',
  'VM.GuestAgent.FileRead',
  'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite',
  'VM.GuestAgent.Unrestricted',
  'VM.Migrate',
  'VM.PowerMgmt',
  'VM.Replicate',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
] as const;

const VM_PRIVS = ALL_PRIVILEGES.filter((p) => p.startsWith('VM.'));

export const BUILTIN_ROLES: Readonly<Record<string, readonly string[]>> = {
  Administrator: ALL_PRIVILEGES,
  NoAccess: [],
  PVEAdmin: ALL_PRIVILEGES.filter(
    (p) => !['Permissions.Modify', 'Realm.Allocate', 'Sys.Modify', 'Sys.PowerMgmt', 'User.Modify'].includes(p),
  ),
  PVEAuditor: ['Datastore.Audit', 'Mapping.Audit', 'Pool.Audit', 'SDN.Audit', 'Sys.Audit', 'VM.Audit'],
  PVEPoolUser: ['Pool.Audit'],
  PVEVMAdmin: [...VM_PRIVS, 'Datastore.AllocateSpace', 'Datastore.Audit', 'Pool.Audit', 'Sys.Audit'],
  PVEVMUser: [
    'VM.Audit',
    'VM.Backup',
    'VM.Config.CDROM',
    'VM.Config.Cloudinit',
    'VM.Console',
    'VM.GuestAgent.Audit',
    'VM.PowerMgmt',
  ],
};

export interface AclEntry {
  path: string;
  privs: readonly string[];
  propagate: boolean;
}

/** priv → propagate flag, as PVE::RPCEnvironment::permissions returns it. */
export type PrivSet = Map<string, boolean>;

/** '/vms/100' → ['/', '/vms', '/vms/100'] */
function pathChain(path: string): string[] {
  const chain = ['/'];
  let current = '';
  for (const part of path.split('/').filter(Boolean)) {
    current += `/${part}`;
    chain.push(current);
  }
  return chain;
}

/** Privileges granted by ACL entries at `path`: the deepest level with entries wins, and an
 * entry above the target counts only when it propagates. */
export function aclPrivileges(acls: readonly AclEntry[], path: string): PrivSet {
  let result: PrivSet = new Map();
  for (const level of pathChain(path)) {
    const entries = acls.filter((a) => a.path === level);
    if (entries.length === 0) continue;
    const final = level === path;
    result = new Map();
    for (const entry of entries) {
      if (!final && !entry.propagate) continue;
      for (const priv of entry.privs) result.set(priv, (result.get(priv) ?? false) || entry.propagate);
    }
  }
  return result;
}

export function unionPrivs(a: PrivSet, b: PrivSet): PrivSet {
  const out = new Map(a);
  for (const [priv, propagate] of b) out.set(priv, (out.get(priv) ?? false) || propagate);
  return out;
}

export function intersectPrivs(a: PrivSet, b: PrivSet): PrivSet {
  const out: PrivSet = new Map();
  for (const [priv, propagate] of a) {
    const other = b.get(priv);
    if (other !== undefined) out.set(priv, propagate && other);
  }
  return out;
}

export function allPrivileges(): PrivSet {
  return new Map(ALL_PRIVILEGES.map((p) => [p, true]));
}
