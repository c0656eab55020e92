// /tenants/:tenantId/servers/:serverId/vms/:vmid: one guest's status, configuration summary,
// power actions, console and resource history charts.
import { ArrowLeft } from 'lucide-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '@/components/ui/alert';
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
import { guestAbilities } from '@/features/vms/hooks/use-guest-can';
import type { Guest } from '@/features/vms/types';
import { isApiError } from '@/lib/api-client';
import { formatBytes, formatUptime, ratio } from '@/lib/format';

/** Fields of status/current worth showing, in this order, when present. */
const SUMMARY: Array<[string, string, (v: unknown) => string]> = [
  ['qmpstatus', 'QEMU state', String],
  ['cpus', 'vCPUs', String],
  ['maxmem', 'Memory', (v) => formatBytes(Number(v))],
  ['maxdisk', 'Boot disk', (v) => formatBytes(Number(v))],
  ['pid', 'PID', String],
  ['agent', 'Guest agent', (v) => (v ? 'enabled' : 'off')],
  ['lock', 'Lock', String],
  ['running-machine', 'Machine', String],
  ['running-qemu', 'QEMU', String],
];

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
  const d = detail.data;
  if (detail.isPending && !fromList) return <Skeleton className="h-96" />;
  if (detail.isError && !fromList) {
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
  const guest: Guest = {
    serverId,
    vmid,
    node: (d?.node as string | undefined) ?? fromList?.node ?? '',
    type: (d?.type as Guest['type'] | undefined) ?? fromList?.type ?? 'qemu',
    name: (d?.name as string | undefined) ?? fromList?.name ?? null,
    status: (d?.status as string | undefined) ?? fromList?.status ?? 'unknown',
    cpu: (d?.cpu as number | undefined) ?? fromList?.cpu ?? null,
    maxcpu: (d?.maxcpu as number | undefined) ?? (d?.cpus as number | undefined) ?? fromList?.maxcpu ?? null,
    mem: (d?.mem as number | undefined) ?? fromList?.mem ?? null,
    maxmem: (d?.maxmem as number | undefined) ?? fromList?.maxmem ?? null,
    disk: (d?.disk as number | undefined) ?? fromList?.disk ?? null,
    maxdisk: (d?.maxdisk as number | undefined) ?? fromList?.maxdisk ?? null,
    uptime: (d?.uptime as number | undefined) ?? fromList?.uptime ?? null,
    tags: fromList?.tags ?? (Array.isArray(d?.tags) ? (d.tags as string[]) : []),
    template: fromList?.template ?? Boolean(d?.template),
    can: (d?.can as Guest['can']) ?? fromList?.can,
  };
  const can = guestAbilities(guest, tenant);
  const serverName =
    servers.data?.find((s) => s.id === serverId)?.name ??
    list.data?.servers.find((s) => s.serverId === serverId)?.name ??
    '';
  const summary = d ? SUMMARY.filter(([k]) => d[k] !== undefined && d[k] !== null && d[k] !== '') : [];

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
            {can.power ? <GuestActions tenantId={tenant.id} guest={guest} /> : null}
            <ConsoleLink
              tenantId={tenant.id}
              serverId={serverId}
              vmid={vmid}
              abilities={can}
              running={guest.status === 'running'}
            />
          </>
        }
      />
      <div className="grid gap-6">
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
              <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
                <dt className="text-muted-foreground">Type</dt>
                <dd>{guest.type === 'qemu' ? 'QEMU/KVM' : 'LXC'}</dd>
                <dt className="text-muted-foreground">Node</dt>
                <dd>{guest.node}</dd>
                {summary.map(([k, label, fmt]) => (
                  <div key={k} className="contents">
                    <dt className="text-muted-foreground">{label}</dt>
                    <dd className="break-all">{fmt(d?.[k])}</dd>
                  </div>
                ))}
                <dt className="text-muted-foreground">Tags</dt>
                <dd className="flex flex-wrap gap-1">
                  {guest.tags.length
                    ? guest.tags.map((t) => (
                        <Badge key={t} variant="secondary">
                          {t}
                        </Badge>
                      ))
                    : '–'}
                </dd>
                {guest.template ? (
                  <>
                    <dt className="text-muted-foreground">Template</dt>
                    <dd>yes</dd>
                  </>
                ) : null}
              </dl>
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
