// Console recordings for the matrix: one of each caller's own in tenant A (members reach only
// their own), one in tenant B (foreign). Rows only: a recording without a file answers its data
// route with 409 after authorization.
import { newId } from '../../server/src/lib/ids';
import type { FixtureStep } from './fixtures';
import type { Role } from './matrix-table';

export const recordingFixtures: FixtureStep = async (t, fx) => {
  const insert = async (tenantId: string, userId: string | null) => {
    const id = newId();
    await t.database.db
      .insertInto('console_recordings')
      .values({
        id,
        tenant_id: tenantId,
        console_id: null,
        user_id: userId,
        share_id: null,
        server_id: newId(),
        vmid: 100,
        node: 'pve1',
        kind: 'vnc',
        status: 'complete',
        file: `${tenantId}/${id}.nxrec`,
        key_id: 'dk-matrix',
        started_at: Date.now(),
        ended_at: Date.now(),
        duration_ms: 0,
        bytes: 0,
        error: null,
      })
      .execute();
    return id;
  };
  const own: Partial<Record<Role, string>> = {};
  for (const [role, user] of Object.entries(fx.users) as [Role, { id: string }][]) {
    own[role] = await insert(fx.tenantA, user.id);
  }
  const foreign = await insert(fx.tenantB, fx.users.otherTenant?.id ?? null);
  const missing = newId();
  fx.params.recordingId = { own: (role) => own[role] ?? missing, foreign, missing };
};
