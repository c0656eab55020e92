// /tenants/:tenantId/servers/:serverId/vms/:vmid/terminal(?serial=serial0): the guest's text
// console (a container's, or a VM's serial port), filling the window.
import { useParams, useSearchParams } from 'react-router';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { TenantTerminal } from '@/features/terminal/components/terminal-view';

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '', vmid = '' } = useParams();
  const [params] = useSearchParams();
  return (
    <TenantTerminal
      tenantId={tenant.id}
      serverId={serverId}
      target={{ kind: 'guest', vmid: Number(vmid), serial: params.get('serial') }}
    />
  );
}
