// The members module's read port for the policy's tenant scope: whether a member is restricted to
// guests there, and to which (the tenants module loads scopes through it).
import type { GuestPermission } from '@common/permissions';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { MembersRepo, parsePermissions } from './members.repo';

export class MembershipReader {
  private readonly repo = new MembersRepo();

  constructor(private readonly db: Kysely<Database>) {}

  /** The member's guest restriction in a tenant, or null when unrestricted. */
  async restriction(
    tenantId: string,
    userId: string,
  ): Promise<{ serverId: string; vmid: number; permissions: GuestPermission[] }[] | null> {
    const rows = await this.repo.restriction(this.db, tenantId, userId);
    if (!rows) return null;
    return rows.map((r) => ({ serverId: r.server_id, vmid: r.vmid, permissions: parsePermissions(r.permissions) }));
  }

  /** The tenants in which the user is restricted to guests. */
  restrictedTenantIds(userId: string): Promise<Set<string>> {
    return this.repo.restrictedTenantIds(this.db, userId);
  }
}
