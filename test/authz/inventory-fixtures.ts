// Matrix fixtures for the inventory and explorer routes: a real task on the fixture server's
// guest 100 (started through the action route, so restricted viewers assigned that guest may read
// it), well-formed UPIDs that exist nowhere, and power actions.
import type { FixtureStep } from './fixtures';

const fakeUpid = (pid: string) => `UPID:pve1:${pid}:00001234:65000000:qmreboot:100:root@pam!pve-sim:`;

export const inventoryFixtures: FixtureStep = async (_t, fx) => {
  const serverId = fx.params.serverId?.own('globalAdmin');
  let own = fakeUpid('0000AAAA');
  if (serverId) {
    const res = await fx.clients.globalAdmin.post(
      `/api/tenants/${fx.tenantA}/servers/${serverId}/vms/100/actions/reboot`,
    );
    if (res.status !== 200) throw new Error(`matrix task fixture failed: ${res.status} ${res.text}`);
    own = res.body.upid;
  }
  fx.params.upid ??= { own: () => own, foreign: fakeUpid('0000BBBB'), missing: fakeUpid('0000CCCC') };
  fx.params.action ??= { own: () => 'start', foreign: 'stop', missing: 'explode' };
};
