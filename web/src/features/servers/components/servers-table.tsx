// The tenant's servers with health figures; those who manage servers edit and delete them here.
import type { Tenant } from '@common/schemas/tenants';
import { Pencil, Server } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { useDeleteDialog } from '@/components/delete-dialog';
import { ListTable } from '@/components/list-table';
import { QueryView } from '@/components/query-view';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, RowIconButton, TableCell } from '@/components/ui/table';
import { useTenantSettings } from '@/features/tenants/api/get-tenant';
import { formatMs, formatPercent, formatRelative } from '@/lib/format';
import { useDeleteServer } from '../api/delete-server';
import { useServers } from '../api/get-servers';
import type { ProxmoxServer } from '../types';
import { ServerFormDialog } from './server-form-dialog';
import { TlsModeBadge } from './server-health-card';
import { ServerProblemBanners, ServerStatusBadge } from './server-status';

/** Shown where a server list answers 404: a Nexus without server management. */
export const SERVERS_UNAVAILABLE = <Alert>Server management is not available on this Nexus version yet.</Alert>;

export function ServersTable({ tenant, addAction }: { tenant: Tenant; addAction: ReactNode }) {
  const servers = useServers(tenant.id);
  const settings = useTenantSettings(tenant.id);
  const del = useDeleteServer(tenant.id);
  const deleter = useDeleteDialog({
    name: (s: ProxmoxServer) => s.name,
    description:
      'Its stored token is destroyed and its consoles close. Guests on it disappear from Nexus (nothing changes on Proxmox).',
    confirmLabel: 'Delete server',
    remove: del,
  });
  const [editing, setEditing] = useState<ProxmoxServer | null>(null);
  const manage = tenant.can.manageServers;

  return (
    <>
      <QueryView
        query={servers}
        pending={<Skeleton className="h-64" />}
        notFound={SERVERS_UNAVAILABLE}
        isEmpty={(d) => d.length === 0}
        empty={
          <EmptyState
            icon={<Server />}
            title="No servers yet"
            description="Add a server with an API token (Datacenter → Permissions → API Tokens), or import a CSV."
            action={addAction}
          />
        }
      >
        {(list) => (
          <div className="grid gap-4">
            <ServerProblemBanners tenantId={tenant.id} servers={list} />
            <Card>
              <ListTable
                columns={[
                  'Server',
                  'Status',
                  'Response',
                  'Success 24 h',
                  { label: 'TLS', className: 'hidden md:table-cell' },
                  { label: 'Checked', className: 'hidden lg:table-cell' },
                ]}
                actions={manage}
                items={list}
                rowKey={(s) => s.id}
                rowProps={() => ({ 'data-testid': 'server-row' })}
              >
                {(s) => (
                  <>
                    <TableCell className="max-w-64">
                      <Link
                        to={`/tenants/${tenant.id}/servers/${s.id}`}
                        className="block truncate font-medium hover:underline"
                      >
                        {s.name}
                      </Link>
                      <span className="block truncate text-xs text-muted-foreground">
                        {s.useTailscale && s.tailscaleHostname
                          ? `${s.tailscaleHostname} (Tailscale)`
                          : `${s.host}:${s.port}`}
                      </span>
                    </TableCell>
                    <TableCell>
                      <ServerStatusBadge status={s.isActive ? s.status : 'unknown'} />
                      {s.isActive ? null : (
                        <Badge variant="secondary" className="ml-2">
                          inactive
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell className="tabular-nums">{formatMs(s.avgResponseTimeMs)}</TableCell>
                    <TableCell className="tabular-nums">{formatPercent(s.successRate, 1)}</TableCell>
                    <TableCell className="hidden md:table-cell">
                      <TlsModeBadge mode={s.tlsMode} />
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap text-muted-foreground lg:table-cell">
                      {formatRelative(s.lastHealthCheckAt)}
                    </TableCell>
                    {manage ? (
                      <TableCell>
                        {s.can.manage ? (
                          <RowActions>
                            <RowIconButton label={`Edit ${s.name}`} onClick={() => setEditing(s)}>
                              <Pencil />
                            </RowIconButton>
                            <DeleteRowButton label={`Delete ${s.name}`} onClick={() => deleter.ask(s)} />
                          </RowActions>
                        ) : null}
                      </TableCell>
                    ) : null}
                  </>
                )}
              </ListTable>
            </Card>
          </div>
        )}
      </QueryView>
      <ServerFormDialog
        tenantId={tenant.id}
        open={editing !== null}
        onOpenChange={(o) => !o && setEditing(null)}
        server={editing}
        defaults={settings.data}
      />
      {deleter.dialog}
    </>
  );
}
