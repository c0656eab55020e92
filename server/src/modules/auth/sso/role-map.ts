// NEXUS_OIDC_ROLE_MAP: which identity-provider group gives which membership —
// `group=tenantSlug:role` (role admin|manager|viewer) or `group=global:admin`, comma-separated.
// Parsed once at start (bad entries stop the start with the entry named); applied at every SSO
// sign-in by `desiredRoles`.
import { TENANT_ROLES, type TenantRole } from '@common/permissions';

export type RoleMapEntry = { group: string; target: { tenant: string; role: TenantRole } | { global: 'admin' } };

export function parseRoleMap(text: string | undefined): { entries: RoleMapEntry[] } | { error: string } {
  const entries: RoleMapEntry[] = [];
  for (const raw of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = raw.lastIndexOf('=');
    const group = raw.slice(0, eq).trim();
    const [scope, role] = raw
      .slice(eq + 1)
      .split(':')
      .map((s) => s.trim());
    if (eq <= 0 || !scope || !role) return { error: `"${raw}": write group=tenantSlug:role or group=global:admin` };
    if (scope === 'global') {
      if (role !== 'admin') return { error: `"${raw}": the only global role is admin` };
      entries.push({ group, target: { global: 'admin' } });
    } else if ((TENANT_ROLES as readonly string[]).includes(role)) {
      entries.push({ group, target: { tenant: scope, role: role as TenantRole } });
    } else {
      return { error: `"${raw}": role must be ${TENANT_ROLES.join(', ')}` };
    }
  }
  return { entries };
}

const RANK: Record<TenantRole, number> = { viewer: 0, manager: 1, admin: 2 };

/**
 * What the map says for a user in these groups: per tenant slug the map names, the highest role
 * their groups give (null: none — a membership there is removed); whether they are a global
 * admin (null when the map says nothing about global admins, which then stays as it is).
 */
export function desiredRoles(
  entries: RoleMapEntry[],
  groups: readonly string[],
): { tenants: Map<string, TenantRole | null>; globalAdmin: boolean | null } {
  const member = new Set(groups);
  const tenants = new Map<string, TenantRole | null>();
  let globalAdmin: boolean | null = null;
  for (const e of entries) {
    if ('global' in e.target) {
      globalAdmin = (globalAdmin ?? false) || member.has(e.group);
      continue;
    }
    const { tenant, role } = e.target;
    const current = tenants.get(tenant) ?? null;
    if (!tenants.has(tenant)) tenants.set(tenant, null);
    if (member.has(e.group) && (current === null || RANK[role] > RANK[current])) tenants.set(tenant, role);
  }
  return { tenants, globalAdmin };
}
