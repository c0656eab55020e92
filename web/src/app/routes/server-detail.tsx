// /tenants/:tenantId/servers/:serverId: one server's health, chart, connectivity test and guests.
import { Link, useParams } from 'react-router';
import { QueryView } from '@/components/query-view';
import { Button } from '@/components/ui/button';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { useServer } from '@/features/servers/api/get-server';
import { ServerDetail } from '@/features/servers/components/server-detail';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '' } = useParams();
  const server = useServer(tenant.id, serverId);
  return (
    <QueryView
      query={server}
      pending={<Skeleton className="h-96" />}
      notFound={
        <EmptyState
          title="Server not found"
          action={
            <Button asChild variant="outline">
              <Link to={`/tenants/${tenant.id}/servers`}>All servers</Link>
            </Button>
          }
        />
      }
    >
      {(s) => <ServerDetail tenant={tenant} server={s} />}
    </QueryView>
  );
}
