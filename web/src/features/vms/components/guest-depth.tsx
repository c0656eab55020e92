// The guest page below the summary: network (addresses from the agent or the container, and the
// configured cards), disks, boot order, notes, and the task history with each task's log. All of
// it came from Proxmox and is rendered as text.
import { FileText } from 'lucide-react';
import { useState } from 'react';
import { ListTable } from '@/components/list-table';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Dialog, DialogContent, DialogHeading } from '@/components/ui/dialog';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { TableCell } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format';
import { useGuestHardware, useGuestInterfaces, useGuestTasks, useTaskLog } from '../api/guest-depth';
import type { Guest } from '../types';

export function GuestNetwork({ tenantId, guest }: { tenantId: string; guest: Guest }) {
  const ifaces = useGuestInterfaces(tenantId, guest.serverId, guest.vmid);
  const hw = useGuestHardware(tenantId, guest.serverId, guest.vmid);
  return (
    <TitledCard title="Network" contentClassName="grid gap-3 text-sm">
      <QueryView query={ifaces} pending={<Skeleton className="h-16" />} errorTitle="Addresses unavailable">
        {(d) =>
          d.unavailable ? (
            <p className="text-muted-foreground" data-testid="ip-unavailable">
              No addresses: {d.unavailable}.
            </p>
          ) : (
            <ul className="grid gap-1" data-testid="guest-addresses">
              {d.interfaces.map((i) => (
                <li key={i.name} className="flex flex-wrap gap-x-3">
                  <span className="font-medium">{i.name}</span>
                  {i.addresses.map((a) => (
                    <code key={a.address} className="text-xs">
                      {a.address}
                      {a.prefix !== null ? `/${a.prefix}` : ''}
                    </code>
                  ))}
                  {i.mac ? <span className="text-xs text-muted-foreground">{i.mac}</span> : null}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      <QueryView query={hw} pending={null}>
        {(h) =>
          h.nics.length ? (
            <ul className="grid gap-1 border-t pt-2" aria-label="Network cards">
              {h.nics.map((n) => (
                <li key={n.id} className="flex flex-wrap gap-x-2 text-xs">
                  <span className="font-medium">{n.id}</span>
                  <span>{[n.model, n.name].filter(Boolean).join(' · ')}</span>
                  {n.bridge ? <span>bridge {n.bridge}</span> : null}
                  {n.vlan !== null ? <span>VLAN {n.vlan}</span> : null}
                  {n.ip ? <span>ip {n.ip}</span> : null}
                  {n.firewall ? <Badge variant="secondary">firewall</Badge> : null}
                  {n.mac ? <span className="text-muted-foreground">{n.mac}</span> : null}
                </li>
              ))}
            </ul>
          ) : null
        }
      </QueryView>
    </TitledCard>
  );
}

export function GuestDisks({ tenantId, guest }: { tenantId: string; guest: Guest }) {
  const hw = useGuestHardware(tenantId, guest.serverId, guest.vmid);
  return (
    <TitledCard title="Disks and boot" contentClassName="grid gap-2 text-sm">
      <QueryView query={hw} pending={<Skeleton className="h-16" />} errorTitle="Configuration unavailable">
        {(h) => (
          <>
            <ul className="grid gap-1" data-testid="guest-disks">
              {h.disks.map((d) => (
                <li key={d.id} className="flex flex-wrap gap-x-2">
                  <span className="font-medium">{d.id}</span>
                  <span className="break-all text-muted-foreground">{d.volume}</span>
                  {d.size ? <span>{d.size}</span> : null}
                  {d.media ? <Badge variant="secondary">{d.media}</Badge> : null}
                </li>
              ))}
            </ul>
            <p className="text-xs text-muted-foreground">
              {h.bootOrder.length ? `Boot order: ${h.bootOrder.join(' → ')}` : 'Boot order: Proxmox default'}
              {h.ostype ? ` · OS type ${h.ostype}` : ''}
              {h.onboot ? ' · starts at boot' : ''}
              {h.protection ? ' · protected' : ''}
            </p>
            {h.notes ? (
              <div className="border-t pt-2">
                <p className="text-xs font-medium text-muted-foreground">Notes</p>
                <p className="text-sm whitespace-pre-wrap break-words" data-testid="guest-notes">
                  {h.notes}
                </p>
              </div>
            ) : null}
          </>
        )}
      </QueryView>
    </TitledCard>
  );
}

function TaskLogDialog({
  tenantId,
  serverId,
  upid,
  onClose,
}: {
  tenantId: string;
  serverId: string;
  upid: string | null;
  onClose(): void;
}) {
  const log = useTaskLog(tenantId, serverId, upid);
  return (
    <Dialog open={upid !== null} onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-3xl">
        <DialogHeading title="Task log" description={upid ?? ''} />
        <QueryView query={log} pending={<Skeleton className="h-40" />} errorTitle="The log could not be read">
          {(l) => (
            <pre
              className="max-h-[60vh] overflow-auto rounded bg-muted p-3 text-xs whitespace-pre-wrap"
              data-testid="task-log"
            >
              {l.lines.join('\n')}
              {l.truncated ? `\n… (${l.total} lines; the first ${l.lines.length} shown)` : ''}
            </pre>
          )}
        </QueryView>
      </DialogContent>
    </Dialog>
  );
}

export function GuestTaskHistory({ tenantId, guest }: { tenantId: string; guest: Guest }) {
  const tasks = useGuestTasks(tenantId, guest.serverId, guest.vmid);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <TitledCard title="Tasks">
      <QueryView
        query={tasks}
        pending={<Skeleton className="h-24" />}
        errorTitle="Task history unavailable"
        isEmpty={(d) => d.tasks.length === 0}
        empty={<EmptyState title="No tasks yet" />}
      >
        {(d) => (
          <ListTable
            columns={['Task', 'Started', { label: 'By', className: 'hidden md:table-cell' }, 'Result']}
            actions
            items={d.tasks.slice(0, 20)}
            rowKey={(t) => t.upid}
            rowProps={(t) => ({ 'data-testid': 'guest-task', 'data-type': t.type })}
          >
            {(t) => (
              <>
                <TableCell className="font-medium">{t.type}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(t.starttime)}</TableCell>
                <TableCell className="hidden max-w-48 truncate md:table-cell">{t.user}</TableCell>
                <TableCell>
                  {t.status === 'running' ? (
                    <Badge variant="secondary">running</Badge>
                  ) : (
                    <Badge variant={t.ok ? 'success' : 'destructive'}>{t.exitstatus}</Badge>
                  )}
                </TableCell>
                <TableCell>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Log of ${t.type} at ${formatDateTime(t.starttime)}`}
                    onClick={() => setOpen(t.upid)}
                  >
                    <FileText /> Log
                  </Button>
                </TableCell>
              </>
            )}
          </ListTable>
        )}
      </QueryView>
      <TaskLogDialog tenantId={tenantId} serverId={guest.serverId} upid={open} onClose={() => setOpen(null)} />
    </TitledCard>
  );
}
