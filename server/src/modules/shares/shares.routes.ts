// Share link routes. The tenant's side sits under the guest (`console:share`); the recipient's
// side is public and knows only the link's token: its page's facts, a console ticket (PIN
// checked, rate-limited per address), and the WebSocket upgrade of that ticket. Nothing here
// sets a cookie: every other route answers the recipient 401.
import { ConsoleGuestParams, ConsoleTicket } from '@common/schemas/consoles';
import {
  CreateShareBody,
  PublicShare,
  ShareConsoleBody,
  ShareCreated,
  ShareList,
  ShareParams,
  ShareTokenParams,
} from '@common/schemas/shares';
import { z } from 'zod';
import { contextOf, tenantCtx } from '../../http/context';
import { type App, noStore, responses, route } from '../../http/route-kit';
import type { Services } from '../../services';
import { consoleUpgradeRoute } from '../consoles/consoles.routes';

const Ok = z.object({ ok: z.literal(true) });

export function sharesRoutes(app: App, { shares, consoles }: Services): void {
  const tags = ['shares'];
  // Per address (see SharesService.tuning).
  const RECIPIENT_RATE = { max: () => shares.tuning.recipientRequestsPerMinute, timeWindow: '1 minute' };

  app.post(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/shares',
    route(
      'console:share',
      'shares',
      {
        summary: 'Create a time-limited link to this guest’s console (the URL is shown once)',
        params: ConsoleGuestParams,
        body: CreateShareBody,
      },
      { 201: ShareCreated },
    ),
    async (request, reply) => {
      const { serverId, vmid } = request.params;
      const created = await shares.create(tenantCtx(request), { serverId, vmid }, request.body);
      return noStore(reply, created, 201);
    },
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/shares',
    route(
      'console:share',
      'shares',
      { summary: 'This guest’s share links that have not ended, and who is on them now', params: ConsoleGuestParams },
      { 200: ShareList },
    ),
    async (request) => {
      const { serverId, vmid } = request.params;
      return { shares: await shares.list(tenantCtx(request), { serverId, vmid }) };
    },
  );

  app.delete(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/shares/:shareId',
    route(
      'console:share',
      'shares',
      { summary: 'Revoke a share link: it stops working and its consoles close', params: ShareParams },
      { 200: Ok },
    ),
    async (request) => {
      const { serverId, vmid, shareId } = request.params;
      await shares.revoke(tenantCtx(request), { serverId, vmid }, shareId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/shares/:token',
    {
      config: { access: 'public', rateLimit: RECIPIENT_RATE },
      schema: {
        tags,
        summary: 'A share link’s page: tenant, guest, expiry and whether a PIN is needed',
        params: ShareTokenParams,
        response: responses({ 200: PublicShare }),
      },
    },
    async (request, reply) => noStore(reply, await shares.describe(request.params.token)),
  );

  app.post(
    '/api/shares/:token/console',
    {
      config: { access: 'public', rateLimit: RECIPIENT_RATE },
      schema: {
        tags,
        summary: 'A single-use console ticket through a share link (PIN if it has one)',
        params: ShareTokenParams,
        body: ShareConsoleBody,
        response: responses({ 201: ConsoleTicket }),
      },
    },
    async (request, reply) => {
      const ticket = await shares.openConsole(contextOf(request), request.params.token, request.body.pin);
      return noStore(reply, ticket, 201);
    },
  );

  consoleUpgradeRoute(app, consoles, {
    url: '/api/share-consoles/:ticket/ws',
    access: 'public',
    claim: (request, ticket, handshake) => consoles.claimShare(contextOf(request), ticket, handshake),
    // The recipient has no account: the link names them in the books and the audit log.
    context: (request, claimed) => {
      const ctx = contextOf(request);
      const label = `share link ${claimed.share?.id.slice(0, 8) ?? ''}`.trim();
      return { audit: { ...ctx.audit, userId: null, label } };
    },
  });
}
