// Audit trail: per tenant (admins and managers; members restricted to guests see only their own
// actions) and global (global admins), CSV export, verify.

import { AuditForwarding, AuditForwardingBody, ForwardTestResult } from '@common/schemas/alerts';
import { AuditPage, AuditQuery, AuditVerify } from '@common/schemas/audit';
import { TenantParams } from '@common/schemas/shared';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { authed, type TenantContext, tenantCtx } from '../../http/context';
import { type App, route } from '../../http/route-kit';
import { auditReach } from '../../policy/policy';
import type { Services } from '../../services';
import type { AuditRow } from './audit.repo';
import type { AuditService } from './audit.service';

export function presentAudit(row: AuditRow) {
  let details: Record<string, unknown> | null = null;
  if (row.details) {
    try {
      details = JSON.parse(row.details) as Record<string, unknown>;
    } catch {
      details = { raw: row.details };
    }
  }
  return {
    id: row.id,
    seq: row.seq,
    tenantId: row.tenant_id,
    actorUserId: row.actor_user_id,
    actor: row.actor_label,
    ip: row.actor_ip,
    userAgent: row.user_agent,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    result: row.result as 'success' | 'failure' | 'denied',
    details,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

type Query = z.infer<typeof AuditQuery>;
/** Which rows a listing covers: one tenant's (maybe only one actor's), or every tenant's. */
type Reach = { tenantId: string; actorUserId?: string } | null;

/** The tenant's log, or only the caller's own actions when the policy limits them to those. */
function tenantReach(ctx: TenantContext): Reach {
  const tenantId = ctx.scope.tenantId;
  return auditReach(ctx.actor, ctx.scope) === 'own' ? { tenantId, actorUserId: ctx.actor.userId } : { tenantId };
}

async function page(audit: AuditService, reach: Reach, q: Query) {
  const rows = await audit.list({
    ...(reach ?? {}),
    ...(q.from ? { from: Date.parse(q.from) } : {}),
    ...(q.to ? { to: Date.parse(q.to) } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.result ? { result: q.result } : {}),
    ...(q.cursor ? { beforeSeq: Number(q.cursor) } : {}),
    limit: q.limit + 1,
  });
  const more = rows.length > q.limit;
  const events = rows.slice(0, q.limit).map(presentAudit);
  return { events, nextCursor: more ? String(events.at(-1)?.seq ?? '') : null };
}

/** CSV of every matching row (paged internally, capped), with spreadsheet formula injection defused. */
async function csv(audit: AuditService, reach: Reach, q: Query, reply: FastifyReply) {
  const header = [
    'seq',
    'createdAt',
    'tenantId',
    'actor',
    'actorUserId',
    'ip',
    'action',
    'targetType',
    'targetId',
    'result',
    'details',
  ];
  const lines: string[][] = [];
  let cursor = q.cursor;
  for (let i = 0; i < 100; i++) {
    const p = await page(audit, reach, { ...q, limit: 500, cursor });
    for (const e of p.events) {
      lines.push(
        [
          String(e.seq),
          e.createdAt,
          e.tenantId ?? '',
          e.actor ?? '',
          e.actorUserId ?? '',
          e.ip ?? '',
          e.action,
          e.targetType ?? '',
          e.targetId ?? '',
          e.result,
          e.details ? JSON.stringify(e.details) : '',
        ].map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)),
      );
    }
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', 'attachment; filename="audit.csv"')
    .send(stringify([header, ...lines]));
}

export function auditRoutes(app: App, { audit, auditForwarder }: Services): void {
  app.get(
    '/api/tenants/:tenantId/audit',
    route('audit:read', 'audit', { params: TenantParams, querystring: AuditQuery }, { 200: AuditPage }),
    async (request) => page(audit, tenantReach(tenantCtx(request)), request.query),
  );

  app.get(
    '/api/tenants/:tenantId/audit.csv',
    {
      config: { access: 'audit:read' },
      schema: { tags: ['audit'], params: TenantParams, querystring: AuditQuery },
    },
    async (request, reply) => csv(audit, tenantReach(tenantCtx(request)), request.query, reply),
  );

  app.get(
    '/api/audit',
    route('audit:global', 'audit', { querystring: AuditQuery }, { 200: AuditPage }),
    async (request) => page(audit, null, request.query),
  );

  app.get(
    '/api/audit.csv',
    { config: { access: 'audit:global' }, schema: { tags: ['audit'], querystring: AuditQuery } },
    async (request, reply) => csv(audit, null, request.query, reply),
  );

  app.get('/api/audit/verify', route('audit:global', 'audit', {}, { 200: AuditVerify }), async () => audit.verify());

  // Forwarding to a SIEM (global admins): syslog and/or a signed webhook.
  app.get('/api/admin/audit-forwarding', route('audit:global', 'audit', {}, { 200: AuditForwarding }), async () =>
    auditForwarder.view(),
  );

  app.put(
    '/api/admin/audit-forwarding',
    route(
      'audit:global',
      'audit',
      {
        summary: 'Set or remove the sinks; a changed webhook URL needs its secret again (or null)',
        body: AuditForwardingBody,
      },
      { 200: AuditForwarding },
    ),
    async (request) => auditForwarder.update(authed(request), request.body),
  );

  app.post(
    '/api/admin/audit-forwarding/test',
    route('audit:global', 'audit', {}, { 200: ForwardTestResult }),
    async () => auditForwarder.test(),
  );
}
