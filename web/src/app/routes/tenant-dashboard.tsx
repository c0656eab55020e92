// /tenants/:tenantId: stats, servers with live status, per-server problem banners and every guest.
import { Monitor, Server, Users } from 'lucide-react';
import { useIntl } from 'react-intl';
import { LinkButton } from '@/components/link-button';
import { QueryView } from '@/components/query-view';
import { StatCard } from '@/components/stat-card';
import { Alert } from '@/components/ui/alert';
import { PageHeader, Skeleton } from '@/components/ui/misc';
import { LiveIndicator } from '@/features/realtime/components/live-indicator';
import { useServers } from '@/features/servers/api/get-servers';
import { ServerCards } from '@/features/servers/components/server-cards';
import { useTenantStats } from '@/features/tenants/api/get-tenant-stats';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { onlineCount, runningCount, tm } from '@/features/tenants/messages';
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
  const t = useIntl().formatMessage;

  return (
    <>
      <PageHeader
        title={tenant.name}
        description={tenant.description || t(tm.dashboardDescription)}
        actions={<LiveIndicator />}
      />
      {tenant.isActive ? null : (
        <Alert variant="warning" className="mb-4" title={t(tm.inactiveTitle)}>
          {t(tm.inactiveBody)}
        </Alert>
      )}
      <section aria-label={t(tm.summary)} className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard
          label={t(tm.servers)}
          icon={<Server />}
          value={stats.data?.servers.total ?? (servers.data ? serverList.length : '–')}
          detail={t(onlineCount, { count: online })}
        />
        <StatCard
          label={t(tm.guests)}
          icon={<Monitor />}
          value={stats.data?.guests.total ?? vms.data?.vms.length ?? '–'}
          detail={t(runningCount, {
            count: running || (vms.data?.vms.filter((g) => g.status === 'running').length ?? 0),
          })}
        />
        <StatCard label={t(tm.activeConsoles)} icon={<Monitor />} value={stats.data?.activeConsoles ?? '–'} />
        <StatCard label={t(tm.members)} icon={<Users />} value={stats.data?.members ?? '–'} />
      </section>

      <section aria-labelledby="servers-heading" className="mt-8">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="servers-heading" className="text-lg font-semibold">
            {t(tm.servers)}
          </h2>
          <LinkButton to={`/tenants/${tenant.id}/servers`} label={tm.manage} variant="ghost" size="sm" />
        </div>
        <ServerCards tenant={tenant} servers={servers} fetches={vms.data?.servers} />
      </section>

      <section aria-labelledby="guests-heading" className="mt-8">
        <h2 id="guests-heading" className="mb-3 text-lg font-semibold">
          {t(tm.guests)}
        </h2>
        <QueryView
          query={vms}
          pending={<Skeleton className="h-64" />}
          notFound={<Alert>{t(tm.noInventory)}</Alert>}
          errorTitle={t(tm.guestsFailed)}
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
