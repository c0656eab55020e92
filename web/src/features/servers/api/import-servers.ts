// POST /api/tenants/:t/servers/import: CSV import, first as a dry run listing every line's errors.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { ImportResult } from '../types';
import { serversPath } from './paths';

export function importServers(tenantId: string, csv: string, dryRun: boolean): Promise<ImportResult> {
  return api(`${serversPath(tenantId)}/import`, { method: 'POST', body: { csv, dryRun } });
}

export function useImportServers(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ csv, dryRun }: { csv: string; dryRun: boolean }) => importServers(tenantId, csv, dryRun),
    onSuccess: (_r, { dryRun }) =>
      dryRun
        ? undefined
        : Promise.all([
            qc.invalidateQueries({ queryKey: qk.servers(tenantId) }),
            qc.invalidateQueries({ queryKey: qk.vms(tenantId) }),
            qc.invalidateQueries({ queryKey: qk.stats(tenantId) }),
          ]),
  });
}

export const exportServersUrl = (tenantId: string) => `${serversPath(tenantId)}/export.csv`;
