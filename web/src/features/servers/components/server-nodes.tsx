// One server's nodes (status, CPU, memory, uptime, Proxmox version) and every node's storages with
// usage — for tenant admins and managers, on the server's page.
import { SquareTerminal } from 'lucide-react';
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
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <TitledCard title="Nodes">
        <QueryView query={nodes} pending={<Skeleton className="h-24" />} errorTitle="Nodes unavailable">
          {(d) => (
            <ListTable
              columns={[
                'Node',
                { label: 'CPU', className: 'min-w-28' },
                { label: 'Memory', className: 'min-w-28' },
                'Uptime',
                'Version',
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
                    <Meter label="CPU" hideLabel value={n.cpu} detail={formatPercent(n.cpu)} />
                  </TableCell>
                  <TableCell>
                    <Meter label="Memory" hideLabel value={ratio(n.mem, n.maxmem)} detail={formatBytes(n.mem)} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {n.status === 'online' ? formatUptime(n.uptime) : n.status}
                  </TableCell>
                  <TableCell>{n.version ?? '–'}</TableCell>
                  {shell ? (
                    <TableCell>
                      {n.status === 'online' ? (
                        <Button asChild size="sm" variant="outline" title="A shell on this Proxmox node (audited)">
                          <Link to={`/tenants/${tenantId}/servers/${serverId}/nodes/${n.node}/shell`}>
                            <SquareTerminal aria-hidden /> Shell
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
      <TitledCard title="Storage">
        <QueryView query={storages} pending={<Skeleton className="h-24" />} errorTitle="Storages unavailable">
          {(d) => (
            <div className="grid gap-2">
              {d.unreadable.map((u) => (
                <Alert key={u.node} variant="warning" title={`Node ${u.node}`}>
                  {u.message}
                </Alert>
              ))}
              <ListTable
                columns={[
                  'Storage',
                  'Node',
                  { label: 'Usage', className: 'min-w-36' },
                  { label: 'Holds', className: 'hidden md:table-cell' },
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
                        {s.type}
                        {s.shared ? ' · shared' : ''}
                      </span>
                      {s.active ? null : <Badge variant="warning">inactive</Badge>}
                    </TableCell>
                    <TableCell>{s.node}</TableCell>
                    <TableCell>
                      <Meter
                        label="Usage"
                        hideLabel
                        value={ratio(s.used, s.total)}
                        detail={`${formatBytes(s.used)} of ${formatBytes(s.total)}`}
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
