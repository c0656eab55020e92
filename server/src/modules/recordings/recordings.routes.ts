// Console recordings of a tenant (DESIGN.md §9 "Recordings"): the list, one recording with its
// timeline marks, the player's data stream, deletion. Every route needs `recording:read`; the
// service narrows members to their own, and deletion needs `recording:manage` (tenant admins).
import {
  RecordingDataQuery,
  RecordingDetail,
  RecordingList,
  RecordingListQuery,
  RecordingParams,
} from '@common/schemas/recordings';
import { Ok, TenantParams } from '@common/schemas/shared';
import { tenantCtx } from '../../http/context';
import { type App, done, noStore, route } from '../../http/route-kit';
import type { Services } from '../../services';

export function recordingsRoutes(app: App, { recordings }: Services): void {
  const tags = ['recordings'];

  app.get(
    '/api/tenants/:tenantId/recordings',
    route(
      'recording:read',
      'recordings',
      {
        summary: 'Recorded consoles that have ended, newest first (members: their own)',
        params: TenantParams,
        querystring: RecordingListQuery,
      },
      { 200: RecordingList },
    ),
    async (request) => ({ recordings: await recordings.list(tenantCtx(request), request.query) }),
  );

  app.get(
    '/api/tenants/:tenantId/recordings/:recordingId',
    route(
      'recording:read',
      'recordings',
      {
        summary: 'One recording with its keyframes, input marks and the guest’s audit events',
        params: RecordingParams,
      },
      { 200: RecordingDetail },
    ),
    async (request) => recordings.detail(tenantCtx(request), request.params.recordingId),
  );

  app.get(
    '/api/tenants/:tenantId/recordings/:recordingId/data',
    {
      config: { access: 'recording:read' },
      schema: {
        tags,
        summary:
          'The player’s stream: RFB records from the keyframe before `from` ms (or chunk `chunk`) to `to` ms, or asciicast v2',
        params: RecordingParams,
        querystring: RecordingDataQuery,
      },
    },
    async (request, reply) => {
      const { recordingId } = request.params;
      const data = await recordings.data(tenantCtx(request), recordingId, request.query);
      if (data.nextChunk !== null) reply.header('x-recording-next-chunk', String(data.nextChunk));
      reply
        .type(data.contentType)
        .header('content-disposition', `attachment; filename="${data.fileName}"`)
        .header('x-content-type-options', 'nosniff');
      return noStore(reply, data.body);
    },
  );

  app.delete(
    '/api/tenants/:tenantId/recordings/:recordingId',
    route(
      'recording:manage',
      'recordings',
      { summary: 'Delete a recording and its file', params: RecordingParams },
      { 200: Ok },
    ),
    async (request) => done(recordings.delete(tenantCtx(request), request.params.recordingId)),
  );
}
