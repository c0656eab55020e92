// /tenants/:tenantId/explorer: browse a server's Proxmox API (tree walked live) and run requests:
// admins read and write, managers and viewers read from an allowlist; endpoints that mint
// tickets or reach inside guests are refused for everyone (common/explorer-policy.ts), and the
// refusal is shown as such.
import { FolderTree } from 'lucide-react';
import { useSearchParams } from 'react-router';
import { Page } from '@/components/page';
import { QueryView } from '@/components/query-view';
import { ChoiceSelect } from '@/components/ui/input';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { ApiExplorer } from '@/features/explorer/components/api-explorer';
import { useServers } from '@/features/servers/api/get-servers';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const servers = useServers(tenant.id);
  const [params, setParams] = useSearchParams();
  // Without a choice, the first server that answers (an offline one would spin for seconds).
  const reachable = (st: string) => st === 'online' || st === 'degraded';
  const serverId =
    params.get('server') ?? (servers.data?.find((s) => reachable(s.status)) ?? servers.data?.[0])?.id ?? '';
  const canWrite = tenant.can.explorer === 'write';

  return (
    <Page
      title="Proxmox API explorer"
      noAccess={tenant.can.explorer === 'none' && 'Members restricted to assigned guests have no API explorer.'}
      description={
        canWrite
          ? 'Read and write; writes are audited. Ticket-minting and in-guest endpoints are never relayed.'
          : 'Read-only: status, configuration, RRD data and tasks of this tenant’s servers.'
      }
      actions={
        servers.data && servers.data.length > 0 ? (
          <ChoiceSelect
            aria-label="Server"
            className="w-56"
            value={serverId}
            onValueChange={(id) =>
              setParams((prev) => {
                const n = new URLSearchParams(prev);
                n.set('server', id);
                return n;
              })
            }
            choices={servers.data.map((s) => ({
              value: s.id,
              label: reachable(s.status) ? s.name : `${s.name} (${s.status.replace('_', ' ')})`,
            }))}
          />
        ) : null
      }
    >
      <QueryView
        query={servers}
        pending={<Skeleton className="h-96" />}
        isEmpty={() => !serverId}
        empty={<EmptyState icon={<FolderTree />} title="No servers" description="Add a server to explore its API." />}
      >
        {() => <ApiExplorer tenantId={tenant.id} serverId={serverId} canWrite={canWrite} />}
      </QueryView>
    </Page>
  );
}
