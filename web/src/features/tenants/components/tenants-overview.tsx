// The global overview's table: each tenant's servers online, guests running, members, consoles.

import type { Tenant } from '@common/schemas/tenants';
import type { UseQueryResult } from '@tanstack/react-query';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { ListTable } from '@/components/list-table';
import { QueryView } from '@/components/query-view';
import { TitledCard } from '@/components/ui/card';
import { Skeleton, Spinner } from '@/components/ui/misc';
import { TableCell } from '@/components/ui/table';
import type { TenantStatsQueries } from '../hooks/use-all-tenant-stats';
import { tm } from '../messages';
import { InactiveBadge } from './tenants-table';

export function TenantsOverview({
  tenants,
  stats,
}: {
  tenants: UseQueryResult<{ tenants: Tenant[] }>;
  /** One per tenant, in the same order. */
  stats: TenantStatsQueries;
}) {
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(tm.tenants)} className="lg:col-span-2" contentClassName="px-0">
      <QueryView query={tenants} pending={<Skeleton className="mx-5 h-40" />} errorClassName="mx-5">
        {(data) => (
          <ListTable
            columns={[t(tm.tenant), t(tm.serversOnline), t(tm.guestsRunning), t(tm.members), t(tm.consoles)]}
            items={data.tenants}
            rowKey={(row) => row.id}
          >
            {(tenant, i) => {
              const s = stats[i]?.data;
              return (
                <>
                  <TableCell>
                    <Link to={`/tenants/${tenant.id}`} className="font-medium hover:underline">
                      {tenant.name}
                    </Link>
                    {tenant.isActive ? null : <InactiveBadge />}
                  </TableCell>
                  <TableCell className="tabular-nums">
                    {s ? (
                      `${s.servers.byStatus.online ?? 0} / ${s.servers.total}`
                    ) : stats[i]?.isPending ? (
                      <Spinner />
                    ) : (
                      '–'
                    )}
                  </TableCell>
                  <TableCell className="tabular-nums">
                    {s ? `${s.guests.byStatus.running ?? 0} / ${s.guests.total}` : '–'}
                  </TableCell>
                  <TableCell className="tabular-nums">{s?.members ?? '–'}</TableCell>
                  <TableCell className="tabular-nums">{s?.activeConsoles ?? '–'}</TableCell>
                </>
              );
            }}
          </ListTable>
        )}
      </QueryView>
    </TitledCard>
  );
}
