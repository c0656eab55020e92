// The tenant's servers with health figures; those who manage servers edit and delete them here.
import type { Tenant } from '@common/schemas/tenants';
import { Pencil, Server } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { useDeleteDialog } from '@/components/confirmed-action';
import { ListTable } from '@/components/list-table';
import { QueryView } from '@/components/query-view';
import { Alert } from '@/components/ui/alert';
import { Marker } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, RowIconButton, TableCell } from '@/components/ui/table';
import { useTenantSettings } from '@/features/tenants/api/get-tenant';
import { formatMs, formatPercent, formatRelative } from '@/lib/format';
import { useDeleteServer } from '../api/delete-server';
import { useServers } from '../api/get-servers';
import { deleteName, deleteServerText, editName, m, viaTailscaleShort } from '../messages';
import type { ProxmoxServer } from '../types';
import { ServerFormDialog } from './server-form-dialog';
import { TlsModeBadge } from './server-health-card';
import { ServerProblemBanners, ServerStatusBadge } from './server-status';

/** Shown where a server list answers 404: a Nexus without server management. */
export const SERVERS_UNAVAILABLE = <ServersUnavailable />;

function ServersUnavailable() {
  const t = useIntl().formatMessage;
  return <Alert>{t(m.unavailable)}</Alert>;
}

export function ServersTable({ tenant, addAction }: { tenant: Tenant; addAction: ReactNode }) {
  const servers = useServers(tenant.id);
  const settings = useTenantSettings(tenant.id);
  const del = useDeleteServer(tenant.id);
  const t = useIntl().formatMessage;
  const deleter = useDeleteDialog<ProxmoxServer>(deleteServerText, del, 'name');
  const [editing, setEditing] = useState<ProxmoxServer | null>(null);
  const manage = tenant.can.manageServers;

  return (
    <>
      <QueryView
        query={servers}
        pending={<Skeleton className="h-64" />}
        notFound={SERVERS_UNAVAILABLE}
        isEmpty={(d) => d.length === 0}
        empty={<EmptyState icon={<Server />} title={t(m.emptyTitle)} description={t(m.emptyList)} action={addAction} />}
      >
        {(list) => (
          <div className="grid gap-4">
            <ServerProblemBanners tenantId={tenant.id} servers={list} />
            <Card>
              <ListTable
                columns={[
                  t(m.columnServer),
                  t(m.columnStatus),
                  t(m.columnResponse),
                  t(m.columnSuccess),
                  { label: t(m.columnTls), className: 'hidden md:table-cell' },
                  { label: t(m.columnChecked), className: 'hidden lg:table-cell' },
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
                          ? t(viaTailscaleShort, { hostname: s.tailscaleHostname })
                          : `${s.host}:${s.port}`}
                      </span>
                    </TableCell>
                    <TableCell>
                      <ServerStatusBadge status={s.isActive ? s.status : 'unknown'} />
                      <Marker when={!s.isActive} label={m.inactive} />
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
                            <RowIconButton label={t(editName, { name: s.name })} onClick={() => setEditing(s)}>
                              <Pencil />
                            </RowIconButton>
                            <DeleteRowButton label={t(deleteName, { name: s.name })} onClick={() => deleter.ask(s)} />
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
