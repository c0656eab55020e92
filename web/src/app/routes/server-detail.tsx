// /tenants/:tenantId/servers/:serverId: one server's health, its 24 h chart (live), a
// connectivity test with the permission diagnosis, and its guests.
import { ArrowLeft, Pencil, PlugZap } from 'lucide-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState, PageHeader, Skeleton, Spinner } from '@/components/ui/misc';
import { useServer } from '@/features/servers/api/get-server';
import { useTestServer } from '@/features/servers/api/test-server';
import { ServerFormDialog } from '@/features/servers/components/server-form-dialog';
import { ServerMetricsChart } from '@/features/servers/components/server-metrics-chart';
import { ServerProblemBanners, ServerStatusBadge } from '@/features/servers/components/server-status';
import { TestResultPanel } from '@/features/servers/components/test-result';
import { useTenantSettings } from '@/features/tenants/api/get-tenant-settings';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { useVms } from '@/features/vms/api/get-vms';
import { GuestList } from '@/features/vms/components/guest-list';
import { isApiError } from '@/lib/api-client';
import { formatDateTime, formatMs, formatPercent, formatRelative } from '@/lib/format';

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '' } = useParams();
  const server = useServer(tenant.id, serverId);
  const vms = useVms(tenant.id);
  const test = useTestServer(tenant.id);
  const settings = useTenantSettings(tenant.id);
  const [editing, setEditing] = useState(false);
  const base = `/tenants/${tenant.id}`;

  if (server.isPending) return <Skeleton className="h-96" />;
  if (server.isError) {
    return isApiError(server.error) && server.error.status === 404 ? (
      <EmptyState
        title="Server not found"
        action={
          <Button asChild variant="outline">
            <Link to={`${base}/servers`}>All servers</Link>
          </Button>
        }
      />
    ) : (
      <ErrorAlert error={server.error} />
    );
  }
  const s = server.data;
  const fetch = vms.data?.servers.find((f) => f.serverId === s.id);
  const guests = (vms.data?.vms ?? []).filter((g) => g.serverId === s.id);

  return (
    <>
      <Link
        to={`${base}/servers`}
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" /> Servers
      </Link>
      <PageHeader
        title={s.name}
        description={`${s.host}:${s.port}${s.useTailscale && s.tailscaleHostname ? ` via Tailscale (${s.tailscaleHostname})` : ''}`}
        actions={
          <>
            <ServerStatusBadge status={s.status} />
            {tenant.can.manageServers ? (
              <>
                <Button variant="outline" onClick={() => test.mutate(s.id)} disabled={test.isPending}>
                  {test.isPending ? <Spinner /> : <PlugZap />} Test connection
                </Button>
                <Button variant="outline" onClick={() => setEditing(true)}>
                  <Pencil /> Edit
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4">
        <ServerProblemBanners tenantId={tenant.id} servers={[s]} fetches={fetch ? [fetch] : []} />
        {test.data ? (
          <Card>
            <CardHeader>
              <CardTitle>Connectivity test</CardTitle>
            </CardHeader>
            <CardContent>
              <TestResultPanel result={test.data} />
            </CardContent>
          </Card>
        ) : test.error ? (
          <ErrorAlert error={test.error} title="Test failed" />
        ) : null}
        <div className="grid gap-4 lg:grid-cols-3">
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>Last 24 hours</CardTitle>
            </CardHeader>
            <CardContent>
              <ServerMetricsChart tenantId={tenant.id} serverId={s.id} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Health</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
                <dt className="text-muted-foreground">Average response</dt>
                <dd className="tabular-nums">{formatMs(s.avgResponseTimeMs)}</dd>
                <dt className="text-muted-foreground">Success 24 h</dt>
                <dd className="tabular-nums">{formatPercent(s.successRate, 1)}</dd>
                <dt className="text-muted-foreground">Last check</dt>
                <dd>{formatRelative(s.lastHealthCheckAt)}</dd>
                <dt className="text-muted-foreground">TLS</dt>
                <dd>
                  <Badge variant={s.tlsMode === 'insecure' ? 'warning' : 'secondary'}>{s.tlsMode}</Badge>
                </dd>
                {s.tlsFingerprint ? (
                  <>
                    <dt className="text-muted-foreground">Fingerprint</dt>
                    <dd className="font-mono text-[11px] break-all">{s.tlsFingerprint}</dd>
                  </>
                ) : null}
                <dt className="text-muted-foreground">Token</dt>
                <dd className="break-all">{s.tokenId ?? '–'}</dd>
                <dt className="text-muted-foreground">Timeout</dt>
                <dd>{formatMs(s.connectionTimeoutMs)}</dd>
                <dt className="text-muted-foreground">Added</dt>
                <dd>{formatDateTime(s.createdAt)}</dd>
              </dl>
              {s.tlsMode === 'insecure' ? (
                <Alert variant="warning" className="mt-3">
                  Certificates are not verified for this server.
                </Alert>
              ) : null}
            </CardContent>
          </Card>
        </div>
        <section aria-labelledby="server-guests">
          <h2 id="server-guests" className="mb-3 text-lg font-semibold">
            Guests
          </h2>
          {vms.isPending ? (
            <Skeleton className="h-48" />
          ) : vms.isError ? (
            <ErrorAlert error={vms.error} title="Could not load guests" />
          ) : (
            <GuestList tenant={tenant} guests={guests} servers={[{ id: s.id, name: s.name }]} fixedServerId={s.id} />
          )}
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
