// /tenants/:tenantId/servers/:serverId/vms/:vmid: one guest's status, configuration summary,
// power actions, console and resource history charts.
import { useIntl } from 'react-intl';
import { useParams } from 'react-router';
import { LinkButton } from '@/components/link-button';
import { ErrorAlert } from '@/components/ui/alert';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { useServers } from '@/features/servers/api/get-servers';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { useVm } from '@/features/vms/api/get-vm';
import { useVms } from '@/features/vms/api/get-vms';
import { GuestOverview } from '@/features/vms/components/guest-overview';
import { vm } from '@/features/vms/messages';
import type { Guest } from '@/features/vms/types';
import { isApiError } from '@/lib/api-client';

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '', vmid: vmidParam = '' } = useParams();
  const vmid = Number(vmidParam);
  const detail = useVm(tenant.id, serverId, vmid);
  const list = useVms(tenant.id);
  const servers = useServers(tenant.id);
  const t = useIntl().formatMessage;

  const fromList = list.data?.vms.find((g) => g.serverId === serverId && g.vmid === vmid);
  // The list entry carries the status the event stream patches; the detail adds live figures.
  const guest: Guest | undefined = detail.data
    ? { ...detail.data, status: fromList?.status ?? detail.data.status }
    : fromList;
  if (!guest) {
    if (detail.isPending) return <Skeleton className="h-96" />;
    return isApiError(detail.error) && detail.error.status === 404 ? (
      <EmptyState
        title={t(vm.notFound)}
        description={t(vm.notFoundHint)}
        action={<LinkButton to={`/tenants/${tenant.id}`} label={vm.dashboard} />}
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
    <GuestOverview
      tenant={tenant}
      guest={guest}
      detail={detail.data}
      detailError={detail.isError && fromList ? detail.error : null}
      serverName={serverName}
    />
  );
}
