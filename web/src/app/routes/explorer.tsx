// /tenants/:tenantId/explorer: browse a server's Proxmox API (tree walked live) and run requests:
// admins read and write, managers and viewers read from an allowlist; endpoints that mint
// tickets or reach inside guests are refused for everyone (common/explorer-policy.ts), and the
// refusal is shown as such.

import { FolderTree } from 'lucide-react';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router';
import { Page } from '@/components/page';
import { QueryView } from '@/components/query-view';
import { ChoiceSelect } from '@/components/ui/input';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { statusLabel } from '@/components/ui/status-dot';
import { ApiExplorer } from '@/features/explorer/components/api-explorer';
import { ex, explorerPage, serverWithStatus } from '@/features/explorer/messages';
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
  const t = useIntl().formatMessage;

  return (
    <Page
      text={explorerPage}
      allowed={tenant.can.explorer !== 'none'}
      description={canWrite ? t(ex.writeDescription) : t(ex.readDescription)}
      actions={
        servers.data && servers.data.length > 0 ? (
          <ChoiceSelect
            aria-label={t(ex.server)}
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
              label: reachable(s.status)
                ? s.name
                : t(serverWithStatus, { name: s.name, status: statusLabel(s.status) }),
            }))}
          />
        ) : null
      }
    >
      <QueryView
        query={servers}
        pending={<Skeleton className="h-96" />}
        isEmpty={() => !serverId}
        empty={<EmptyState icon={<FolderTree />} title={t(ex.noServers)} description={t(ex.noServersHint)} />}
      >
        {() => <ApiExplorer tenantId={tenant.id} serverId={serverId} canWrite={canWrite} />}
      </QueryView>
    </Page>
  );
}
