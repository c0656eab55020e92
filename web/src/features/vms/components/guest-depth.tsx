// The guest page below the summary: network (addresses from the agent or the container, and the
// configured cards), disks, boot order, notes, and the task history with each task's log. All of
// it came from Proxmox and is rendered as text.
import { FileText } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
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
import { bootOrder, bridge, ipConfig, logOf, logTruncated, noAddresses, osType, vlan, vm } from '../messages';
import type { Guest } from '../types';

export function GuestNetwork({ tenantId, guest }: { tenantId: string; guest: Guest }) {
  const ifaces = useGuestInterfaces(tenantId, guest.serverId, guest.vmid);
  const hw = useGuestHardware(tenantId, guest.serverId, guest.vmid);
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(vm.network)} contentClassName="grid gap-3 text-sm">
      <QueryView query={ifaces} pending={<Skeleton className="h-16" />} errorTitle={t(vm.addressesUnavailable)}>
        {(d) =>
          d.unavailable ? (
            <p className="text-muted-foreground" data-testid="ip-unavailable">
              {t(noAddresses, { reason: d.unavailable })}
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
            <ul className="grid gap-1 border-t pt-2" aria-label={t(vm.networkCards)}>
              {h.nics.map((n) => (
                <li key={n.id} className="flex flex-wrap gap-x-2 text-xs">
                  <span className="font-medium">{n.id}</span>
                  <span>{[n.model, n.name].filter(Boolean).join(' · ')}</span>
                  {n.bridge ? <span>{t(bridge, { bridge: n.bridge })}</span> : null}
                  {n.vlan !== null ? <span>{t(vlan, { vlan: n.vlan })}</span> : null}
                  {n.ip ? <span>{t(ipConfig, { ip: n.ip })}</span> : null}
                  {n.firewall ? <Badge variant="secondary">{t(vm.firewall)}</Badge> : null}
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
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(vm.disks)} contentClassName="grid gap-2 text-sm">
      <QueryView query={hw} pending={<Skeleton className="h-16" />} errorTitle={t(vm.configUnavailable)}>
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
              {h.bootOrder.length ? t(bootOrder, { order: h.bootOrder.join(' → ') }) : t(vm.bootOrderDefault)}
              {h.ostype ? ` · ${t(osType, { ostype: h.ostype })}` : ''}
              {h.onboot ? ` · ${t(vm.startsAtBoot)}` : ''}
              {h.protection ? ` · ${t(vm.protectedSuffix)}` : ''}
            </p>
            {h.notes ? (
              <div className="border-t pt-2">
                <p className="text-xs font-medium text-muted-foreground">{t(vm.notes)}</p>
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
  const t = useIntl().formatMessage;
  return (
    <Dialog open={upid !== null} onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-3xl">
        <DialogHeading title={t(vm.taskLog)} description={upid ?? ''} />
        <QueryView query={log} pending={<Skeleton className="h-40" />} errorTitle={t(vm.taskLogUnreadable)}>
          {(l) => (
            <pre
              className="max-h-[60vh] overflow-auto rounded bg-muted p-3 text-xs whitespace-pre-wrap"
              data-testid="task-log"
            >
              {l.lines.join('\n')}
              {l.truncated ? `\n${t(logTruncated, { total: l.total, shown: l.lines.length })}` : ''}
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
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(vm.tasks)}>
      <QueryView
        query={tasks}
        pending={<Skeleton className="h-24" />}
        errorTitle={t(vm.tasksUnavailable)}
        isEmpty={(d) => d.tasks.length === 0}
        empty={<EmptyState title={t(vm.noTasks)} />}
      >
        {(d) => (
          <ListTable
            columns={[t(vm.task), t(vm.started), { label: t(vm.by), className: 'hidden md:table-cell' }, t(vm.result)]}
            actions
            items={d.tasks.slice(0, 20)}
            rowKey={(task) => task.upid}
            rowProps={(task) => ({ 'data-testid': 'guest-task', 'data-type': task.type })}
          >
            {(task) => (
              <>
                <TableCell className="font-medium">{task.type}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(task.starttime)}</TableCell>
                <TableCell className="hidden max-w-48 truncate md:table-cell">{task.user}</TableCell>
                <TableCell>
                  {task.status === 'running' ? (
                    <Badge variant="secondary">{t(vm.running)}</Badge>
                  ) : (
                    <Badge variant={task.ok ? 'success' : 'destructive'}>{task.exitstatus}</Badge>
                  )}
                </TableCell>
                <TableCell>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={t(logOf, { type: task.type, time: formatDateTime(task.starttime) })}
                    onClick={() => setOpen(task.upid)}
                  >
                    <FileText /> {t(vm.log)}
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
