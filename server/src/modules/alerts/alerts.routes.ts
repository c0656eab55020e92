// Outbound alert routes: a tenant's channels, their tests and deliveries, per-server mutes
// (tenant admins, `notification:manage`), and each user's own alert e-mails (their session).
import {
  AlertMute,
  AlertMuteList,
  ChannelList,
  ChannelParams,
  ChannelTestResult,
  CreateChannelBody,
  DeliveryList,
  MuteBody,
  MuteParams,
  NotificationChannel,
  PersonalAlerts,
  PersonalAlertsPatch,
  UpdateChannelBody,
} from '@common/schemas/alerts';
import { Ok, TenantParams } from '@common/schemas/shared';
import { authed, tenantCtx } from '../../http/context';
import { type App, done, responses, route } from '../../http/route-kit';
import type { Services } from '../../services';

export function alertsRoutes(app: App, { alerts }: Services): void {
  const { channels } = alerts;
  const tags = ['alerts'];
  const manage = { access: 'notification:manage' } as const;
  const base = '/api/tenants/:tenantId/notification-channels';

  app.get(
    base,
    { config: manage, schema: { tags, params: TenantParams, response: responses({ 200: ChannelList }) } },
    async (request) => channels.list(tenantCtx(request)),
  );

  app.post(
    base,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add an e-mail or webhook channel (a webhook secret is never shown again)',
        params: TenantParams,
        body: CreateChannelBody,
        response: responses({ 201: NotificationChannel }),
      },
    },
    async (request, reply) => reply.status(201).send(await channels.create(tenantCtx(request), request.body)),
  );

  app.patch(
    `${base}/:channelId`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a channel; a changed webhook URL needs its secret again (or null)',
        params: ChannelParams,
        body: UpdateChannelBody,
        response: responses({ 200: NotificationChannel }),
      },
    },
    async (request) => channels.update(tenantCtx(request), request.params.channelId, request.body),
  );

  app.delete(
    `${base}/:channelId`,
    { config: manage, schema: { tags, params: ChannelParams, response: responses({ 200: Ok }) } },
    async (request) => done(channels.remove(tenantCtx(request), request.params.channelId)),
  );

  app.post(
    `${base}/:channelId/test`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Send a test message now and report how it went',
        params: ChannelParams,
        response: responses({ 200: ChannelTestResult }),
      },
    },
    async (request) => channels.test(tenantCtx(request), request.params.channelId),
  );

  app.get(
    `${base}/:channelId/deliveries`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'The channel’s recent deliveries',
        params: ChannelParams,
        response: responses({ 200: DeliveryList }),
      },
    },
    async (request) => channels.deliveries(tenantCtx(request), request.params.channelId),
  );

  app.get(
    '/api/tenants/:tenantId/alert-mutes',
    { config: manage, schema: { tags, params: TenantParams, response: responses({ 200: AlertMuteList }) } },
    async (request) => channels.mutes(tenantCtx(request)),
  );

  app.put(
    '/api/tenants/:tenantId/alert-mutes/:serverId',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Mute a server’s alerts until a time (at most 30 days)',
        params: MuteParams,
        body: MuteBody,
        response: responses({ 200: AlertMute }),
      },
    },
    async (request) => channels.mute(tenantCtx(request), request.params.serverId, request.body),
  );

  app.delete(
    '/api/tenants/:tenantId/alert-mutes/:serverId',
    { config: manage, schema: { tags, params: MuteParams, response: responses({ 200: Ok }) } },
    async (request) => done(channels.unmute(tenantCtx(request), request.params.serverId)),
  );

  app.get('/api/account/alerts', route('authenticated', 'account', {}, { 200: PersonalAlerts }), async (request) =>
    channels.personal(authed(request)),
  );

  app.put(
    '/api/account/alerts',
    route('session', 'account', { body: PersonalAlertsPatch }, { 200: PersonalAlerts }),
    async (request) => channels.setPersonal(authed(request), request.body),
  );
}
