// Console recordings for the matrix: one of each caller's own in tenant A (members reach only
// their own), one in tenant B (foreign). Rows only: a recording without a file answers its data
// route with 409 after authorization. Each is of vmid 100 on the server the restricted callers may
// open (a member replays only recordings of consoles they may still open).
import { newId } from '../../server/src/lib/ids';
import type { FixtureStep } from './fixtures';
import type { Role } from './matrix-table';

export const recordingFixtures: FixtureStep = async (t, fx) => {
  const servers = fx.params.serverId;
  if (!servers) throw new Error('recording fixtures come after the servers’ (consoleFixtures)');
  const insert = async (tenantId: string, userId: string | null, serverId: string) => {
    const id = newId();
    await t.database.db
      .insertInto('console_recordings')
      .values({
        id,
        tenant_id: tenantId,
        console_id: null,
        user_id: userId,
        share_id: null,
        server_id: serverId,
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
    own[role] = await insert(fx.tenantA, user.id, servers.own('restrictedViewer'));
  }
  const foreign = await insert(fx.tenantB, fx.users.otherTenant?.id ?? null, servers.foreign);
  const missing = newId();
  fx.params.recordingId = { own: (role) => own[role] ?? missing, foreign, missing };
};
