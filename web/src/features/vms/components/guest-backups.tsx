// The guest's backups on its node's storages, newest first, and "Back up now" for those allowed
// (the tenant's storage and mode; the list refreshes when the task ends). Restore is not offered.
import { Archive, DatabaseBackup } from 'lucide-react';
import { useIntl } from 'react-intl';
import { ListTable } from '@/components/list-table';
import { QueryView } from '@/components/query-view';
import { Alert } from '@/components/ui/alert';
import { Marker } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { formatBytes, formatDateTime } from '@/lib/format';
import { useBackupNow, useBackups } from '../api/backups';
import { storageUnreadable, vm } from '../messages';
import type { Guest } from '../types';

export function GuestBackupsCard({ tenantId, guest }: { tenantId: string; guest: Guest }) {
  const backups = useBackups(tenantId, guest.serverId, guest.vmid);
  const now = useBackupNow(tenantId, guest.serverId, guest.vmid);
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(vm.backups)}>
      {guest.can.backup ? (
        <div className="mb-3">
          <Button
            size="sm"
            disabled={now.isPending}
            onClick={() =>
              now.mutate(undefined, {
                onSuccess: () => toast({ variant: 'success', title: t(vm.backupStarted) }),
                onError: toastError(t(vm.backupNotStarted)),
              })
            }
          >
            <DatabaseBackup /> {t(vm.backUpNow)}
          </Button>
        </div>
      ) : null}
      <QueryView
        query={backups}
        pending={<Skeleton className="h-24" />}
        errorTitle={t(vm.backupsUnavailable)}
        isEmpty={(d) => d.backups.length === 0 && d.unreadable.length === 0}
        empty={<EmptyState icon={<Archive />} title={t(vm.noBackups)} description={t(vm.noBackupsHint)} />}
      >
        {(d) => (
          <div className="grid gap-2">
            {d.unreadable.map((u) => (
              <Alert key={u.storage} variant="warning" title={t(storageUnreadable, { storage: u.storage })}>
                {u.message}
              </Alert>
            ))}
            {d.backups.length ? (
              <ListTable
                columns={[
                  t(vm.made),
                  t(vm.storage),
                  t(vm.size),
                  { label: t(vm.backupNotes), className: 'hidden md:table-cell' },
                ]}
                items={d.backups.slice(0, 50)}
                rowKey={(b) => b.volid}
                rowProps={(b) => ({ 'data-testid': 'guest-backup', 'data-volid': b.volid })}
              >
                {(b) => (
                  <>
                    <TableCell className="whitespace-nowrap">
                      {formatDateTime(b.ctime)}
                      <Marker when={b.protected} label={vm.protectedBadge} />
                    </TableCell>
                    <TableCell>{b.storage}</TableCell>
                    <TableCell className="whitespace-nowrap">{formatBytes(b.size)}</TableCell>
                    <TableCell className="hidden max-w-80 truncate md:table-cell">{b.notes}</TableCell>
                  </>
                )}
              </ListTable>
            ) : null}
          </div>
        )}
      </QueryView>
    </TitledCard>
  );
}
