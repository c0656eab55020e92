// /tenants/:tenantId/servers/:serverId/nodes/:node/shell: a shell on a Proxmox node (tenant
// admins, when the tenant allows node shells), filling the window.
import { useParams } from 'react-router';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { TenantTerminal } from '@/features/terminal/components/terminal-view';

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '', node = '' } = useParams();
  return <TenantTerminal tenantId={tenant.id} serverId={serverId} target={{ kind: 'node', node }} />;
}
