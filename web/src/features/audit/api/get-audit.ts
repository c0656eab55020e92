// GET /api/tenants/:id/audit or /api/audit: audit events, newest first, paged by cursor.
import type { AuditEvent, AuditPage } from '@common/schemas/audit';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, buildUrl } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type AuditEntry = z.infer<typeof AuditEvent>;
export type AuditFilters = {
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  result?: string | undefined;
  cursor?: string | undefined;
};

/** `tenantId` null means the global log (global admins). */
export function auditPath(tenantId: string | null, csv = false): string {
  const suffix = csv ? 'audit.csv' : 'audit';
  return tenantId ? `/api/tenants/${encodeURIComponent(tenantId)}/${suffix}` : `/api/${suffix}`;
}

export function auditCsvUrl(tenantId: string | null, filters: AuditFilters): string {
  const { cursor: _cursor, ...rest } = filters;
  return buildUrl(auditPath(tenantId, true), rest);
}

export function getAudit(tenantId: string | null, filters: AuditFilters): Promise<z.infer<typeof AuditPage>> {
  return api(auditPath(tenantId), { query: { ...filters, limit: 50 } });
}

export function useAudit(tenantId: string | null, filters: AuditFilters) {
  return useQuery({
    queryKey: qk.audit(tenantId ?? 'global', filters),
    queryFn: () => getAudit(tenantId, filters),
    placeholderData: keepPreviousData,
  });
}
