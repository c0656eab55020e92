// /tenants/:tenantId/servers/:serverId: one server's health, chart, connectivity test and guests.
import { useIntl } from 'react-intl';
import { useParams } from 'react-router';
import { LinkButton } from '@/components/link-button';
import { QueryView } from '@/components/query-view';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { useServer } from '@/features/servers/api/get-server';
import { ServerDetail } from '@/features/servers/components/server-detail';
import { m } from '@/features/servers/messages';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '' } = useParams();
  const server = useServer(tenant.id, serverId);
  const t = useIntl().formatMessage;
  return (
    <QueryView
      query={server}
      pending={<Skeleton className="h-96" />}
      notFound={
        <EmptyState
          title={t(m.notFound)}
          action={<LinkButton to={`/tenants/${tenant.id}/servers`} label={m.allServers} />}
        />
      }
    >
      {(s) => <ServerDetail tenant={tenant} server={s} />}
    </QueryView>
  );
}
