// /tenants/:tenantId: stats, servers with live status, per-server problem banners and every guest.
import { Monitor, Server, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { StatusDot, statusLabel } from '@/components/ui/status-dot';
import { LiveIndicator } from '@/features/realtime/components/live-indicator';
import { useServers } from '@/features/servers/api/get-servers';
import { ServerProblemBanners } from '@/features/servers/components/server-status';
import { useTenantStats } from '@/features/tenants/api/get-tenant-stats';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { useVms } from '@/features/vms/api/get-vms';
import { GuestList } from '@/features/vms/components/guest-list';
import { isApiError } from '@/lib/api-client';
import { formatMs, formatPercent } from '@/lib/format';

function StatCard({
  label,
  value,
  detail,
  icon,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  icon: ReactNode;
}) {
  return (
    <Card className="flex items-start justify-between gap-3 p-4">
      <div>
        <p className="text-xs font-medium text-muted-foreground">{label}</p>
        <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
        {detail ? <p className="mt-0.5 text-xs text-muted-foreground">{detail}</p> : null}
      </div>
      <span className="rounded-md bg-brand/10 p-2 text-brand-text [&_svg]:size-5">{icon}</span>
    </Card>
  );
}

export function Component() {
  const tenant = useCurrentTenant();
  const stats = useTenantStats(tenant.id);
  const servers = useServers(tenant.id);
  const vms = useVms(tenant.id);
  const base = `/tenants/${tenant.id}`;
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
            <Link to={`${base}/servers`}>Manage</Link>
          </Button>
        </div>
        {servers.isPending ? (
          <Skeleton className="h-20" />
        ) : servers.isError ? (
          isApiError(servers.error) && servers.error.status === 404 ? (
            <Alert>Server management is not available on this Nexus version yet.</Alert>
          ) : (
            <ErrorAlert error={servers.error} title="Could not load servers" />
          )
        ) : serverList.length === 0 ? (
          <EmptyState
            icon={<Server />}
            title="No servers yet"
            description="Register a Proxmox VE server to see its guests here."
            action={
              tenant.can.manageServers ? (
                <Button asChild>
                  <Link to={`${base}/servers?add=1`}>Add a server</Link>
                </Button>
              ) : null
            }
          />
        ) : (
          <div className="grid gap-3">
            <ServerProblemBanners tenantId={tenant.id} servers={serverList} fetches={vms.data?.servers} />
            <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
              {serverList.map((s) => (
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
                          <span className="text-muted-foreground">Response </span>
                          <span className="tabular-nums">{formatMs(s.avgResponseTimeMs)}</span>
                        </span>
                        <span>
                          <span className="text-muted-foreground">Success </span>
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
      </section>

      <section aria-labelledby="guests-heading" className="mt-8">
        <h2 id="guests-heading" className="mb-3 text-lg font-semibold">
          Guests
        </h2>
        {vms.isPending ? (
          <Skeleton className="h-64" />
        ) : vms.isError ? (
          isApiError(vms.error) && vms.error.status === 404 ? (
            <Alert>The guest inventory is not available on this Nexus version yet.</Alert>
          ) : (
            <ErrorAlert error={vms.error} title="Could not load guests" />
          )
        ) : (
          <GuestList
            tenant={tenant}
            guests={vms.data.vms}
            servers={
              serverList.length > 0
                ? serverList.map((s) => ({ id: s.id, name: s.name }))
                : vms.data.servers.map((f) => ({ id: f.serverId, name: f.name }))
            }
          />
        )}
      </section>
    </>
  );
}
