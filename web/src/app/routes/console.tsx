// /tenants/:tenantId/servers/:serverId/vms/:vmid/console: the guest's console, filling the window.
import { useParams } from 'react-router';
import { ConsoleView } from '@/features/console/components/console-view';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '', vmid = '' } = useParams();
  return <ConsoleView tenantId={tenant.id} serverId={serverId} vmid={Number(vmid)} />;
}
