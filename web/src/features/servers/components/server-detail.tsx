// One server's page: health, its 24 h chart (live), a connectivity test with the permission
// diagnosis, and its guests.
import type { Tenant } from '@common/schemas/tenants';
import { ArrowLeft, Pencil, PlugZap } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { QueryView } from '@/components/query-view';
import { ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { PageHeader, Skeleton, Spinner } from '@/components/ui/misc';
import { useTenantSettings } from '@/features/tenants/api/get-tenant';
import { useVms } from '@/features/vms/api/get-vms';
import { GuestList } from '@/features/vms/components/guest-list';
import { useTestServer } from '../api/test-server';
import { m, viaTailscale } from '../messages';
import type { ProxmoxServer } from '../types';
import { ServerFormDialog } from './server-form-dialog';
import { ServerHealthCard } from './server-health-card';
import { ServerMetricsChart } from './server-metrics-chart';
import { ServerNodes } from './server-nodes';
import { ServerProblemBanners, ServerStatusBadge } from './server-status';
import { TestResultPanel } from './test-result';

export function ServerDetail({ tenant, server: s }: { tenant: Tenant; server: ProxmoxServer }) {
  const vms = useVms(tenant.id);
  const test = useTestServer(tenant.id);
  const settings = useTenantSettings(tenant.id);
  const [editing, setEditing] = useState(false);
  const base = `/tenants/${tenant.id}`;
  const fetch = vms.data?.servers.find((f) => f.serverId === s.id);
  const t = useIntl().formatMessage;
  const address = `${s.host}:${s.port}`;

  return (
    <>
      <Link
        to={`${base}/servers`}
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" /> {t(m.back)}
      </Link>
      <PageHeader
        title={s.name}
        description={
          s.useTailscale && s.tailscaleHostname ? t(viaTailscale, { address, hostname: s.tailscaleHostname }) : address
        }
        actions={
          <>
            <ServerStatusBadge status={s.status} />
            {tenant.can.manageServers ? (
              <>
                <Button variant="outline" onClick={() => test.mutate(s.id)} disabled={test.isPending}>
                  {test.isPending ? <Spinner /> : <PlugZap />} {t(m.testConnection)}
                </Button>
                <Button variant="outline" onClick={() => setEditing(true)}>
                  <Pencil /> {t(m.edit)}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4">
        <ServerProblemBanners tenantId={tenant.id} servers={[s]} fetches={fetch ? [fetch] : []} />
        {test.data ? (
          <TitledCard title={t(m.connectivityTest)}>
            <TestResultPanel result={test.data} />
          </TitledCard>
        ) : test.error ? (
          <ErrorAlert error={test.error} title={t(m.testFailed)} />
        ) : null}
        <div className="grid gap-4 lg:grid-cols-3">
          <TitledCard title={t(m.last24Hours)} className="lg:col-span-2">
            <ServerMetricsChart tenantId={tenant.id} serverId={s.id} />
          </TitledCard>
          <ServerHealthCard server={s} />
        </div>
        {tenant.can.manageServers ? (
          <ServerNodes
            tenantId={tenant.id}
            serverId={s.id}
            shell={tenant.can.nodeShell && settings.data?.nodeShell === true}
          />
        ) : null}
        <section aria-labelledby="server-guests">
          <h2 id="server-guests" className="mb-3 text-lg font-semibold">
            {t(m.guests)}
          </h2>
          <QueryView query={vms} pending={<Skeleton className="h-48" />} errorTitle={t(m.guestsFailed)}>
            {(data) => (
              <GuestList
                tenant={tenant}
                guests={data.vms.filter((g) => g.serverId === s.id)}
                servers={[{ id: s.id, name: s.name }]}
                fixedServerId={s.id}
              />
            )}
          </QueryView>
        </section>
      </div>
      <ServerFormDialog
        tenantId={tenant.id}
        open={editing}
        onOpenChange={setEditing}
        server={s}
        defaults={settings.data}
      />
    </>
  );
}
