// /tenants/:tenantId/servers/:serverId/vms/:vmid: one guest's status, configuration summary,
// power actions, console and resource history charts.
import { ArrowLeft } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState, Meter, PageHeader, Skeleton } from '@/components/ui/misc';
import { StatusDot, statusLabel } from '@/components/ui/status-dot';
import { useServers } from '@/features/servers/api/get-servers';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import type { Timeframe } from '@/features/vms/api/get-rrddata';
import { useVm } from '@/features/vms/api/get-vm';
import { useVms } from '@/features/vms/api/get-vms';
import { ConsoleLink } from '@/features/vms/components/console-link';
import { GuestActions, guestLabel } from '@/features/vms/components/guest-actions';
import { RrdCharts } from '@/features/vms/components/rrd-charts';
import type { Guest, GuestDetail } from '@/features/vms/types';
import { isApiError } from '@/lib/api-client';
import { formatBytes, formatRelative, formatUptime, ratio } from '@/lib/format';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="break-all">{children}</dd>
    </>
  );
}

function Configuration({ guest, detail }: { guest: Guest; detail: GuestDetail | undefined }) {
  return (
    <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
      <Row label="Type">{guest.type === 'qemu' ? 'QEMU/KVM virtual machine' : 'LXC container'}</Row>
      <Row label="Node">{guest.node}</Row>
      {detail?.qmpstatus ? <Row label="QEMU state">{detail.qmpstatus}</Row> : null}
      <Row label="vCPUs">{detail?.cpus ?? guest.maxcpu ?? '–'}</Row>
      <Row label="Memory">{formatBytes(guest.maxmem)}</Row>
      <Row label="Boot disk">{formatBytes(guest.maxdisk)}</Row>
      {detail ? <Row label="Guest agent">{detail.agent ? 'enabled' : 'off'}</Row> : null}
      {detail?.ha.managed ? <Row label="High availability">{detail.ha.state ?? 'managed'}</Row> : null}
      {guest.pool ? <Row label="Pool">{guest.pool}</Row> : null}
      {guest.lock ? <Row label="Lock">{guest.lock}</Row> : null}
      {detail?.pid ? <Row label="PID">{detail.pid}</Row> : null}
      <Row label="Tags">
        <span className="flex flex-wrap gap-1">
          {guest.tags.length
            ? guest.tags.map((t) => (
                <Badge key={t} variant="secondary">
                  {t}
                </Badge>
              ))
            : '–'}
        </span>
      </Row>
      {guest.template ? <Row label="Template">yes</Row> : null}
      {detail ? <Row label="Fetched">{formatRelative(detail.fetchedAt)}</Row> : null}
    </dl>
  );
}

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '', vmid: vmidParam = '' } = useParams();
  const vmid = Number(vmidParam);
  const detail = useVm(tenant.id, serverId, vmid);
  const list = useVms(tenant.id);
  const servers = useServers(tenant.id);
  const [timeframe, setTimeframe] = useState<Timeframe>('hour');
  const base = `/tenants/${tenant.id}`;

  const fromList = list.data?.vms.find((g) => g.serverId === serverId && g.vmid === vmid);
  // The list entry carries the status the event stream patches; the detail adds live figures.
  const guest: Guest | undefined = detail.data
    ? { ...detail.data, status: fromList?.status ?? detail.data.status }
    : fromList;
  if (!guest) {
    if (detail.isPending) return <Skeleton className="h-96" />;
    return isApiError(detail.error) && detail.error.status === 404 ? (
      <EmptyState
        title="Guest not found"
        description="It does not exist, or you may not see it."
        action={
          <Button asChild variant="outline">
            <Link to={base}>Dashboard</Link>
          </Button>
        }
      />
    ) : (
      <ErrorAlert error={detail.error} />
    );
  }
  const serverName =
    servers.data?.find((s) => s.id === serverId)?.name ??
    list.data?.servers.find((s) => s.serverId === serverId)?.name ??
    '';

  return (
    <>
      <Link
        to={base}
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" /> Dashboard
      </Link>
      <PageHeader
        title={guestLabel(guest)}
        description={
          <>
            {guest.type === 'qemu' ? 'Virtual machine' : 'Container'} {guest.vmid} on{' '}
            <Link to={`${base}/servers/${serverId}`} className="hover:underline">
              {serverName}
            </Link>{' '}
            / {guest.node}
          </>
        }
        actions={
          <>
            <span className="inline-flex items-center gap-1.5 text-sm" data-testid="guest-status">
              <StatusDot status={guest.status} /> {statusLabel(guest.status)}
            </span>
            {guest.can.power ? <GuestActions tenantId={tenant.id} guest={guest} /> : null}
            <ConsoleLink
              tenantId={tenant.id}
              serverId={serverId}
              vmid={vmid}
              abilities={guest.can}
              running={guest.status === 'running'}
            />
          </>
        }
      />
      <div className="grid gap-6">
        {guest.nodeOffline ? (
          <Alert variant="warning" title={`Node ${guest.node} is offline`}>
            Proxmox cannot reach the node that holds this guest; its figures are missing.
          </Alert>
        ) : null}
        {detail.isError && fromList ? <ErrorAlert error={detail.error} title="Live status unavailable" /> : null}
        <div className="grid gap-4 lg:grid-cols-3">
          <Card>
            <CardHeader>
              <CardTitle>Now</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-3">
              <Meter
                label="CPU"
                value={guest.cpu}
                detail={guest.cpu == null ? '–' : `${(guest.cpu * 100).toFixed(0)}% of ${guest.maxcpu ?? '?'} vCPU`}
              />
              <Meter
                label="Memory"
                value={ratio(guest.mem, guest.maxmem)}
                detail={`${formatBytes(guest.mem)} / ${formatBytes(guest.maxmem)}`}
              />
              <Meter
                label="Disk"
                value={ratio(guest.disk, guest.maxdisk)}
                detail={`${formatBytes(guest.disk)} / ${formatBytes(guest.maxdisk)}`}
              />
              <p className="text-sm text-muted-foreground">Uptime {formatUptime(guest.uptime)}</p>
            </CardContent>
          </Card>
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>Configuration</CardTitle>
            </CardHeader>
            <CardContent>
              <Configuration guest={guest} detail={detail.data} />
            </CardContent>
          </Card>
        </div>
        <RrdCharts
          tenantId={tenant.id}
          serverId={serverId}
          vmid={vmid}
          timeframe={timeframe}
          onTimeframe={setTimeframe}
        />
      </div>
    </>
  );
}
