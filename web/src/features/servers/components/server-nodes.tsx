// One server's nodes (status, CPU, memory, uptime, Proxmox version) and every node's storages with
// usage — for tenant admins and managers, on the server's page.
import { SquareTerminal } from 'lucide-react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { ListTable } from '@/components/list-table';
import { QueryView } from '@/components/query-view';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Meter, Skeleton } from '@/components/ui/misc';
import { StatusDot } from '@/components/ui/status-dot';
import { TableCell } from '@/components/ui/table';
import { formatBytes, formatPercent, formatUptime, ratio } from '@/lib/format';
import { useServerNodes, useServerStorages } from '../api/nodes-storage';
import { m, nodeTitle, storageShared, usageOf } from '../messages';

export function ServerNodes({
  tenantId,
  serverId,
  shell,
}: {
  tenantId: string;
  serverId: string;
  /** Offer a shell per online node (tenant admins, with the tenant setting on). */
  shell: boolean;
}) {
  const nodes = useServerNodes(tenantId, serverId);
  const storages = useServerStorages(tenantId, serverId);
  const t = useIntl().formatMessage;
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <TitledCard title={t(m.nodes)}>
        <QueryView query={nodes} pending={<Skeleton className="h-24" />} errorTitle={t(m.nodesUnavailable)}>
          {(d) => (
            <ListTable
              columns={[
                t(m.columnNode),
                { label: t(m.columnCpu), className: 'min-w-28' },
                { label: t(m.columnMemory), className: 'min-w-28' },
                t(m.columnUptime),
                t(m.columnVersion),
              ]}
              actions={shell}
              items={d.nodes}
              rowKey={(n) => n.node}
              rowProps={(n) => ({ 'data-testid': 'server-node', 'data-node': n.node })}
            >
              {(n) => (
                <>
                  <TableCell className="whitespace-nowrap font-medium">
                    <span className="inline-flex items-center gap-1.5">
                      <StatusDot status={n.status === 'online' ? 'running' : 'stopped'} /> {n.node}
                    </span>
                  </TableCell>
                  <TableCell>
                    <Meter label={t(m.columnCpu)} hideLabel value={n.cpu} detail={formatPercent(n.cpu)} />
                  </TableCell>
                  <TableCell>
                    <Meter
                      label={t(m.columnMemory)}
                      hideLabel
                      value={ratio(n.mem, n.maxmem)}
                      detail={formatBytes(n.mem)}
                    />
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {n.status === 'online' ? formatUptime(n.uptime) : n.status}
                  </TableCell>
                  <TableCell>{n.version ?? '–'}</TableCell>
                  {shell ? (
                    <TableCell>
                      {n.status === 'online' ? (
                        <Button asChild size="sm" variant="outline" title={t(m.shellTitle)}>
                          <Link to={`/tenants/${tenantId}/servers/${serverId}/nodes/${n.node}/shell`}>
                            <SquareTerminal aria-hidden /> {t(m.shell)}
                          </Link>
                        </Button>
                      ) : null}
                    </TableCell>
                  ) : null}
                </>
              )}
            </ListTable>
          )}
        </QueryView>
      </TitledCard>
      <TitledCard title={t(m.storage)}>
        <QueryView query={storages} pending={<Skeleton className="h-24" />} errorTitle={t(m.storagesUnavailable)}>
          {(d) => (
            <div className="grid gap-2">
              {d.unreadable.map((u) => (
                <Alert key={u.node} variant="warning" title={t(nodeTitle, { node: u.node })}>
                  {u.message}
                </Alert>
              ))}
              <ListTable
                columns={[
                  t(m.columnStorage),
                  t(m.columnStorageNode),
                  { label: t(m.columnUsage), className: 'min-w-36' },
                  { label: t(m.columnHolds), className: 'hidden md:table-cell' },
                ]}
                items={d.storages}
                rowKey={(s) => `${s.node}/${s.storage}`}
                rowProps={(s) => ({ 'data-testid': 'server-storage', 'data-storage': s.storage })}
              >
                {(s) => (
                  <>
                    <TableCell className="font-medium">
                      {s.storage}{' '}
                      <span className="text-xs text-muted-foreground">
                        {s.shared ? t(storageShared, { type: s.type ?? '' }) : s.type}
                      </span>
                      {s.active ? null : <Badge variant="warning">{t(m.storageInactive)}</Badge>}
                    </TableCell>
                    <TableCell>{s.node}</TableCell>
                    <TableCell>
                      <Meter
                        label={t(m.columnUsage)}
                        hideLabel
                        value={ratio(s.used, s.total)}
                        detail={t(usageOf, { used: formatBytes(s.used), total: formatBytes(s.total) })}
                      />
                    </TableCell>
                    <TableCell className="hidden text-xs text-muted-foreground md:table-cell">
                      {s.content.join(', ')}
                    </TableCell>
                  </>
                )}
              </ListTable>
            </div>
          )}
        </QueryView>
      </TitledCard>
    </div>
  );
}
