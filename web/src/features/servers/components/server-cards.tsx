// The dashboard's servers: a card per server with live status, response time and success rate,
// and the banners of servers with a problem.
import type { Tenant } from '@common/schemas/tenants';
import type { UseQueryResult } from '@tanstack/react-query';
import { Server } from 'lucide-react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { LinkButton } from '@/components/link-button';
import { QueryView } from '@/components/query-view';
import { Card } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { StatusDot, statusLabel } from '@/components/ui/status-dot';
import type { ServerFetchStatus } from '@/features/vms/types';
import { formatMs, formatPercent } from '@/lib/format';
import { m } from '../messages';
import type { ProxmoxServer } from '../types';
import { ServerProblemBanners } from './server-status';
import { SERVERS_UNAVAILABLE } from './servers-table';

export function ServerCards({
  tenant,
  servers,
  fetches,
}: {
  tenant: Tenant;
  servers: UseQueryResult<ProxmoxServer[]>;
  /** The guest list's per-server fetch status, for banners on servers that could not be listed. */
  fetches: ServerFetchStatus[] | undefined;
}) {
  const base = `/tenants/${tenant.id}`;
  const t = useIntl().formatMessage;
  return (
    <QueryView
      query={servers}
      pending={<Skeleton className="h-20" />}
      notFound={SERVERS_UNAVAILABLE}
      errorTitle={t(m.loadFailed)}
      isEmpty={(list) => list.length === 0}
      empty={
        <EmptyState
          icon={<Server />}
          title={t(m.emptyTitle)}
          description={t(m.emptyDashboard)}
          action={tenant.can.manageServers ? <LinkButton to={`${base}/servers?add=1`} label={m.addAServer} /> : null}
        />
      }
    >
      {(list) => (
        <div className="grid gap-3">
          <ServerProblemBanners tenantId={tenant.id} servers={list} fetches={fetches} />
          <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
            {list.map((s) => (
              <li key={s.id}>
                <Card className="p-4 transition-colors hover:border-brand/60" data-testid="server-card">
                  <Link to={`${base}/servers/${s.id}`} className="grid gap-2">
                    <span className="flex items-center justify-between gap-2">
                      <span className="truncate font-medium">{s.name}</span>
                      <span className="inline-flex items-center gap-1.5 text-xs" data-testid="server-status">
                        <StatusDot status={s.status} pulse={s.status === 'online'} />
                        {statusLabel(s.status)}
                      </span>
                    </span>
                    <span className="truncate text-xs text-muted-foreground">
                      {s.host}:{s.port}
                    </span>
                    <span className="flex gap-4 text-xs">
                      <span>
                        <span className="text-muted-foreground">{t(m.cardResponse)} </span>
                        <span className="tabular-nums">{formatMs(s.avgResponseTimeMs)}</span>
                      </span>
                      <span>
                        <span className="text-muted-foreground">{t(m.cardSuccess)} </span>
                        <span className="tabular-nums">{formatPercent(s.successRate)}</span>
                      </span>
                    </span>
                  </Link>
                </Card>
              </li>
            ))}
          </ul>
        </div>
      )}
    </QueryView>
  );
}
