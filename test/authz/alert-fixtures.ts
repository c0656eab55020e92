// Alert channels for the matrix: a webhook channel in tenant A (own) and one in tenant B (foreign).
import { newId } from '../../server/src/lib/ids';
import type { FixtureStep } from './fixtures';

export const alertFixtures: FixtureStep = async (_t, fx) => {
  const make = async (tenantId: string) => {
    const res = await fx.clients.globalAdmin.post(`/api/tenants/${tenantId}/notification-channels`, {
      type: 'webhook',
      name: 'matrix',
      // The discard port: a test answers at once with a refused connection.
      url: 'http://127.0.0.1:9/hook',
      events: ['server.offline'],
    });
    if (res.status !== 201) throw new Error(`channel fixture: ${res.status} ${res.text}`);
    return res.body.id as string;
  };
  const own = await make(fx.tenantA);
  const foreign = await make(fx.tenantB);
  fx.params.channelId = { own: () => own, foreign, missing: newId() };
};
