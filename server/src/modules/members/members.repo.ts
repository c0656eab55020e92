// Tenant memberships and per-guest assignments.
import { GUEST_PERMISSIONS, type GuestPermission, type TenantRole } from '@common/permissions';
import type { ExpressionBuilder } from 'kysely';
import type { Database, UserTenantAssignmentsTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export interface MemberRow {
  user_id: string;
  email: string;
  full_name: string | null;
  role: string;
  created_at: number;
  restricted: number;
}

export interface AssignmentRow {
  server_id: string;
  vmid: number;
  permissions: string;
}

export const parsePermissions = (text: string): GuestPermission[] =>
  text.split(',').filter((p): p is GuestPermission => (GUEST_PERMISSIONS as readonly string[]).includes(p));

type MembershipScope = ExpressionBuilder<Database & { m: UserTenantAssignmentsTable }, 'm'>;

/** A membership restricted to guests: the flag, or any assignment row (the same rule as `restriction`). */
const isRestricted = (eb: MembershipScope) =>
  eb.or([
    eb('m.restricted', '=', 1),
    eb.exists(
      eb
        .selectFrom('user_vm_assignments as a')
        .select('a.id')
        .whereRef('a.user_id', '=', 'm.user_id')
        .whereRef('a.tenant_id', '=', 'm.tenant_id'),
    ),
  ]);

export class MembersRepo {
  list(db: Executor, tenantId: string): Promise<MemberRow[]> {
    return db
      .selectFrom('user_tenant_assignments as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select((eb) => [
        'm.user_id',
        'u.email',
        'u.full_name',
        'm.role',
        'm.created_at',
        // Assignment rows restrict even without the flag: nothing may read wider than it is.
        isRestricted(eb).$castTo<number>().as('restricted'),
      ])
      .where('m.tenant_id', '=', tenantId)
      .orderBy('u.email')
      .execute();
  }

  async find(db: Executor, tenantId: string, userId: string): Promise<MemberRow | undefined> {
    return (await this.list(db, tenantId)).find((m) => m.user_id === userId);
  }

  async add(
    db: Executor,
    row: { id: string; tenant_id: string; user_id: string; role: TenantRole; created_at: number },
  ) {
    await db.insertInto('user_tenant_assignments').values(row).execute();
  }

  async setRole(db: Executor, tenantId: string, userId: string, role: TenantRole): Promise<void> {
    await db
      .updateTable('user_tenant_assignments')
      .set({ role })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .execute();
  }

  async remove(db: Executor, tenantId: string, userId: string): Promise<void> {
    await db
      .deleteFrom('user_tenant_assignments')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .execute();
    await db
      .deleteFrom('user_vm_assignments')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .execute();
  }

  async countAdmins(db: Executor, tenantId: string): Promise<number> {
    const row = await db
      .selectFrom('user_tenant_assignments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('role', '=', 'admin')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * What restricts a member, for the policy: null when unrestricted (or not a member), else their
   * assignment rows — possibly none, which means no guest at all. One query: it runs per request.
   */
  async restriction(db: Executor, tenantId: string, userId: string): Promise<AssignmentRow[] | null> {
    const rows = await db
      .selectFrom('user_tenant_assignments as m')
      .leftJoin('user_vm_assignments as a', (join) =>
        join.onRef('a.tenant_id', '=', 'm.tenant_id').onRef('a.user_id', '=', 'm.user_id'),
      )
      .select(['m.restricted', 'a.server_id', 'a.vmid', 'a.permissions'])
      .where('m.tenant_id', '=', tenantId)
      .where('m.user_id', '=', userId)
      .execute();
    const assigned: AssignmentRow[] = [];
    for (const r of rows) {
      if (r.server_id !== null && r.vmid !== null && r.permissions !== null) {
        assigned.push({ server_id: r.server_id, vmid: Number(r.vmid), permissions: r.permissions });
      }
    }
    const flagged = rows.some((r) => Number(r.restricted) === 1);
    return flagged || assigned.length > 0 ? assigned : null;
  }

  /** The tenants in which this user is restricted to guests (as `restriction` decides). */
  async restrictedTenantIds(db: Executor, userId: string): Promise<Set<string>> {
    const rows = await db
      .selectFrom('user_tenant_assignments as m')
      .select('m.tenant_id')
      .where('m.user_id', '=', userId)
      .where(isRestricted)
      .execute();
    return new Set(rows.map((r) => r.tenant_id));
  }

  async setRestricted(db: Executor, tenantId: string, userId: string, restricted: boolean): Promise<void> {
    await db
      .updateTable('user_tenant_assignments')
      .set({ restricted: restricted ? 1 : 0 })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .execute();
  }

  assignments(db: Executor, tenantId: string, userId: string): Promise<AssignmentRow[]> {
    return db
      .selectFrom('user_vm_assignments')
      .select(['server_id', 'vmid', 'permissions'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .orderBy('server_id')
      .orderBy('vmid')
      .execute();
  }

  async replaceAssignments(
    db: Executor,
    tenantId: string,
    userId: string,
    rows: { id: string; server_id: string; vmid: number; permissions: string; created_at: number }[],
  ): Promise<void> {
    await db
      .deleteFrom('user_vm_assignments')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .execute();
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200).map((r) => ({ ...r, tenant_id: tenantId, user_id: userId }));
      if (chunk.length > 0) await db.insertInto('user_vm_assignments').values(chunk).execute();
    }
  }

  async existingServerIds(db: Executor, tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom('proxmox_servers')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    return new Set(rows.map((r) => r.id));
  }
}
