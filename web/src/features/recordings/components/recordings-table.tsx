// A tenant's recorded consoles: who, which guest, when, how long, how big, and how it ended;
// a row opens the player. Tenant admins delete (the file goes too).
import { Film } from 'lucide-react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { useConfirmedAction } from '@/components/confirmed-action';
import { QueryTable } from '@/components/list-table';
import { Badge, Marker } from '@/components/ui/badge';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { formatBytes, formatDateTime } from '@/lib/format';
import { type Recording, useDeleteRecording, useRecordings } from '../api/recordings';
import { deleteRecordingText, m } from '../messages';
import { formatClock } from './format-clock';

const STATUS = {
  complete: null,
  interrupted: { label: m.interrupted, variant: 'warning' },
  failed: { label: m.failed, variant: 'destructive' },
} as const;

export function RecordingsTable({ tenantId }: { tenantId: string }) {
  const recordings = useRecordings(tenantId);
  const del = useDeleteRecording(tenantId);
  const t = useIntl().formatMessage;
  const deleter = useConfirmedAction<Recording>(deleteRecordingText, del, 'id');
  return (
    <>
      <QueryTable
        query={recordings}
        rows={(d) => d.recordings}
        pending={<Skeleton className="h-40" />}
        empty={<EmptyState icon={<Film />} title={t(m.emptyTitle)} description={t(m.emptyDescription)} />}
        columns={[t(m.started), t(m.who), t(m.guest), t(m.length), t(m.size)]}
        actions
        rowKey={(r) => r.id}
        rowProps={(r) => ({ 'data-testid': 'recording-row', 'data-recording': r.id })}
      >
        {(r) => {
          const status = STATUS[r.status];
          return (
            <>
              <TableCell>
                <Link to={r.id} className="font-medium text-brand-text hover:underline">
                  {formatDateTime(r.startedAt)}
                </Link>
                {status ? (
                  <Badge variant={status.variant} className="ml-2" title={r.error ?? undefined}>
                    {t(status.label)}
                  </Badge>
                ) : null}
              </TableCell>
              <TableCell>
                {r.userEmail ?? '–'}
                <Marker when={r.shareId !== null} label={m.shareLink} />
              </TableCell>
              <TableCell>
                {r.vmid !== null ? `${r.vmid}` : t(m.nodeShell)}
                <span className="ml-1 text-xs text-muted-foreground">
                  {r.serverName ?? ''} · {t(r.kind === 'terminal' ? m.text : m.graphical)}
                </span>
              </TableCell>
              <TableCell className="font-mono text-xs">{formatClock(r.durationMs ?? 0)}</TableCell>
              <TableCell className="text-xs">{formatBytes(r.bytes)}</TableCell>
              <TableCell>
                {r.can.delete ? (
                  <RowActions>
                    <DeleteRowButton label={t(m.deleteLabel)} onClick={() => deleter.ask(r)} />
                  </RowActions>
                ) : null}
              </TableCell>
            </>
          );
        }}
      </QueryTable>
      {deleter.dialog}
    </>
  );
}
