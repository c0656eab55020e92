// GET /api/audit/verify: walks the hash chain and names the first edited or missing row.
import type { AuditVerify } from '@common/schemas/audit';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type AuditVerification = z.infer<typeof AuditVerify>;

export function verifyAudit(): Promise<AuditVerification> {
  return api('/api/audit/verify');
}

export function useAuditVerify(enabled = true) {
  return useQuery({ queryKey: qk.auditVerify, queryFn: verifyAudit, enabled, staleTime: 60_000 });
}
