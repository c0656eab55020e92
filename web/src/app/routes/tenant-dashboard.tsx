// /tenants/:tenantId: stats, servers with live status, per-server problem banners and every guest.
import { Monitor, Server, Users } from 'lucide-react';
import { Link } from 'react-router';
import { QueryView } from '@/components/query-view';
import { StatCard } from '@/components/stat-card';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { PageHeader, Skeleton } from '@/components/ui/misc';
import { LiveIndicator } from '@/features/realtime/components/live-indicator';
import { useServers } from '@/features/servers/api/get-servers';
import { ServerCards } from '@/features/servers/components/server-cards';
import { useTenantStats } from '@/features/tenants/api/get-tenant-stats';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { useVms } from '@/features/vms/api/get-vms';
import { GuestList } from '@/features/vms/components/guest-list';

export function Component() {
  const tenant = useCurrentTenant();
  const stats = useTenantStats(tenant.id);
  const servers = useServers(tenant.id);
  const vms = useVms(tenant.id);
  const serverList = servers.data ?? [];
  const online = stats.data?.servers.byStatus.online ?? serverList.filter((s) => s.status === 'online').length;
  const running = stats.data?.guests.byStatus.running ?? 0;

  return (
    <>
      <PageHeader
        title={tenant.name}
        description={tenant.description || 'Servers and guests of this tenant.'}
        actions={<LiveIndicator />}
      />
      {tenant.isActive ? null : (
        <Alert variant="warning" className="mb-4" title="This tenant is inactive">
          Consoles and actions are refused until an administrator activates it again.
        </Alert>
      )}
      <section aria-label="Summary" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard
          label="Servers"
          icon={<Server />}
          value={stats.data?.servers.total ?? (servers.data ? serverList.length : '–')}
          detail={`${online} online`}
        />
        <StatCard
          label="Guests"
          icon={<Monitor />}
          value={stats.data?.guests.total ?? vms.data?.vms.length ?? '–'}
          detail={`${running || (vms.data?.vms.filter((g) => g.status === 'running').length ?? 0)} running`}
        />
        <StatCard label="Active consoles" icon={<Monitor />} value={stats.data?.activeConsoles ?? '–'} />
        <StatCard label="Members" icon={<Users />} value={stats.data?.members ?? '–'} />
      </section>

      <section aria-labelledby="servers-heading" className="mt-8">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="servers-heading" className="text-lg font-semibold">
            Servers
          </h2>
          <Button asChild variant="ghost" size="sm">
            <Link to={`/tenants/${tenant.id}/servers`}>Manage</Link>
          </Button>
        </div>
        <ServerCards tenant={tenant} servers={servers} fetches={vms.data?.servers} />
      </section>

      <section aria-labelledby="guests-heading" className="mt-8">
        <h2 id="guests-heading" className="mb-3 text-lg font-semibold">
          Guests
        </h2>
        <QueryView
          query={vms}
          pending={<Skeleton className="h-64" />}
          notFound={<Alert>The guest inventory is not available on this Nexus version yet.</Alert>}
          errorTitle="Could not load guests"
        >
          {(data) => (
            <GuestList
              tenant={tenant}
              guests={data.vms}
              servers={
                serverList.length > 0
                  ? serverList.map((s) => ({ id: s.id, name: s.name }))
                  : data.servers.map((f) => ({ id: f.serverId, name: f.name }))
              }
            />
          )}
        </QueryView>
      </section>
    </>
  );
}
