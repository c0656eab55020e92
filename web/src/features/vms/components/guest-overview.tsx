// One guest's page body: status, power actions and console in the header, live figures,
// configuration and resource history.
import type { Tenant } from '@common/schemas/tenants';
import { ArrowLeft } from 'lucide-react';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { TitledCard } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/misc';
import { StatusDot, statusLabel } from '@/components/ui/status-dot';
import { GuestShares } from '@/features/shares/components/guest-shares';
import { formatUptime } from '@/lib/format';
import type { Timeframe } from '../api/get-rrddata';
import { useGuestHardware } from '../api/guest-depth';
import { nodeOffline, uptime, vm } from '../messages';
import type { Guest, GuestDetail } from '../types';
import { ConsoleLink, TerminalLink } from './console-link';
import { GuestActions, guestLabel } from './guest-actions';
import { GuestBackupsCard } from './guest-backups';
import { GuestConfiguration } from './guest-configuration';
import { GuestDisks, GuestNetwork, GuestTaskHistory } from './guest-depth';
import { GuestMeters } from './guest-meters';
import { GuestSnapshots } from './guest-snapshots';
import { RrdCharts } from './rrd-charts';

export function GuestOverview({
  tenant,
  guest,
  detail,
  detailError,
  serverName,
}: {
  tenant: Tenant;
  guest: Guest;
  /** The live detail, once loaded. */
  detail: GuestDetail | undefined;
  /** Why the live detail is missing while the list still knows the guest. */
  detailError: unknown;
  serverName: string;
}) {
  const [timeframe, setTimeframe] = useState<Timeframe>('hour');
  const t = useIntl().formatMessage;
  const base = `/tenants/${tenant.id}`;
  const { serverId, vmid } = guest;
  // A VM with a serial port offers a text console on its first one.
  const hardware = useGuestHardware(tenant.id, serverId, vmid);
  const serialPort = guest.type === 'qemu' ? hardware.data?.serialPorts[0] : undefined;
  const hasTerminal = guest.type === 'lxc' || serialPort !== undefined;
  // The tenant's default console for this type of guest comes first and filled.
  const terminalFirst = hasTerminal && detail?.defaultConsole === 'terminal';
  const terminal = hasTerminal ? (
    <TerminalLink
      tenantId={tenant.id}
      serverId={serverId}
      vmid={vmid}
      abilities={guest.can}
      serial={serialPort}
      primary={terminalFirst}
      running={guest.status === 'running'}
    />
  ) : null;

  return (
    <>
      <Link
        to={base}
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" /> {t(vm.dashboard)}
      </Link>
      <PageHeader
        title={guestLabel(guest, t)}
        description={
          <FormattedMessage
            id="vms.guestOn"
            defaultMessage="{type, select, qemu {Virtual machine} other {Container}} {vmid} on <link>{server}</link> / {node}"
            values={{
              type: guest.type,
              vmid: guest.vmid,
              server: serverName,
              node: guest.node,
              link: (chunks) => (
                <Link to={`${base}/servers/${serverId}`} className="hover:underline">
                  {chunks}
                </Link>
              ),
            }}
          />
        }
        actions={
          <>
            <span className="inline-flex items-center gap-1.5 text-sm" data-testid="guest-status">
              <StatusDot status={guest.status} /> {statusLabel(guest.status)}
            </span>
            {guest.can.power ? <GuestActions tenantId={tenant.id} guest={guest} /> : null}
            {terminalFirst ? terminal : null}
            <ConsoleLink
              tenantId={tenant.id}
              serverId={serverId}
              vmid={vmid}
              abilities={guest.can}
              running={guest.status === 'running'}
              primary={!terminalFirst}
            />
            {terminalFirst ? null : terminal}
          </>
        }
      />
      <div className="grid gap-6">
        {guest.nodeOffline ? (
          <Alert variant="warning" title={t(nodeOffline, { node: guest.node })}>
            {t(vm.nodeOfflineText)}
          </Alert>
        ) : null}
        {detailError ? <ErrorAlert error={detailError} title={t(vm.liveUnavailable)} /> : null}
        <div className="grid gap-4 lg:grid-cols-3">
          <TitledCard title={t(vm.now)} contentClassName="grid gap-3">
            <GuestMeters guest={guest} vcpus />
            <p className="text-sm text-muted-foreground">{t(uptime, { time: formatUptime(guest.uptime) })}</p>
          </TitledCard>
          <TitledCard title={t(vm.configuration)} className="lg:col-span-2">
            <GuestConfiguration guest={guest} detail={detail} />
          </TitledCard>
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          <GuestNetwork tenantId={tenant.id} guest={guest} />
          <GuestDisks tenantId={tenant.id} guest={guest} />
        </div>
        <div className="grid gap-4 xl:grid-cols-2">
          <GuestSnapshots tenantId={tenant.id} guest={guest} />
          <GuestBackupsCard tenantId={tenant.id} guest={guest} />
        </div>
        {guest.can.share !== 'none' ? <GuestShares tenantId={tenant.id} guest={guest} /> : null}
        <GuestTaskHistory tenantId={tenant.id} guest={guest} />
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
