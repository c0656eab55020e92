// The tenant's alert channels: where each goes, its events, whether it is on and working (and
// if not, why), a test that reports how it went, its recent deliveries, change and delete.
import { BellRing, ChevronDown, ChevronRight, Pencil, Send } from 'lucide-react';
import { useState } from 'react';
import { useDeleteDialog } from '@/components/delete-dialog';
import { QueryTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, RowIconButton, TableCell } from '@/components/ui/table';
import { toastError } from '@/components/ui/toast';
import { formatDateTime, formatRelative } from '@/lib/format';
import { type Channel, type TestResult, useChannels, useDeleteChannel, useTestChannel } from '../api/alerts';
import { channelTarget, EVENT_LABELS, EVENT_SHORT, PRESET_LABELS } from '../channel-form-state';
import { ChannelHealth, RecentDeliveries, TestOutcome } from './channel-status';

function ChannelCell({
  tenantId,
  c,
  result,
  testing,
}: {
  tenantId: string;
  c: Channel;
  result: TestResult | undefined;
  testing: boolean;
}) {
  const [open, setOpen] = useState(false);
  const listId = `deliveries-${c.id}`;
  return (
    <div className="grid min-w-56 gap-0.5">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{c.name}</span>
        <Badge variant="outline">
          {c.type === 'email' ? 'E-mail' : `Webhook · ${PRESET_LABELS[c.preset ?? 'json']}`}
        </Badge>
      </div>
      <span className="max-w-80 truncate text-xs text-muted-foreground" title={channelTarget(c)}>
        {channelTarget(c)}
      </span>
      <TestOutcome result={result} pending={testing} />
      <Button
        variant="link"
        size="sm"
        className="h-6 justify-self-start px-0"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => setOpen(!open)}
      >
        {open ? <ChevronDown /> : <ChevronRight />} Recent deliveries
      </Button>
      {open ? <RecentDeliveries tenantId={tenantId} channelId={c.id} id={listId} /> : null}
    </div>
  );
}

export function ChannelsTable({ tenantId, onEdit }: { tenantId: string; onEdit(c: Channel): void }) {
  const channels = useChannels(tenantId);
  const test = useTestChannel(tenantId);
  const del = useDeleteChannel(tenantId);
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const deleting = useDeleteDialog<Channel>({
    name: (c) => c.name,
    description: 'It receives nothing more; messages waiting for it are dropped.',
    confirmLabel: 'Delete channel',
    remove: del,
  });
  const sendTest = (c: Channel) =>
    test.mutate(c.id, {
      onSuccess: (r) => setResults((prev) => ({ ...prev, [c.id]: r })),
      onError: toastError(`Could not test ${c.name}`),
    });
  return (
    <>
      <QueryTable
        query={channels}
        rows={(d) => d.channels}
        pending={<Skeleton className="h-32" />}
        empty={
          <EmptyState
            icon={<BellRing />}
            title="No alert channels"
            description="Alerts show in the bell only. Add an e-mail or webhook channel to be told elsewhere."
          />
        }
        columns={['Channel', 'Events', 'Enabled', 'Health', 'Last success', 'Waiting']}
        actions
        rowKey={(c) => c.id}
        rowProps={(c) => ({ 'data-channel': c.name })}
      >
        {(c) => (
          <>
            <TableCell className="align-top">
              <ChannelCell
                tenantId={tenantId}
                c={c}
                result={results[c.id]}
                testing={test.isPending && test.variables === c.id}
              />
            </TableCell>
            <TableCell className="align-top">
              <div className="flex max-w-64 flex-wrap gap-1">
                {c.events.map((e) => (
                  <Badge key={e} variant="secondary" title={EVENT_LABELS[e]}>
                    {EVENT_SHORT[e]}
                  </Badge>
                ))}
              </div>
            </TableCell>
            <TableCell className="align-top">
              {c.enabled ? <Badge variant="default">On</Badge> : <Badge variant="secondary">Off</Badge>}
            </TableCell>
            <TableCell className="align-top">
              <ChannelHealth c={c} />
            </TableCell>
            <TableCell className="align-top text-xs" title={formatDateTime(c.health.lastSuccessAt)}>
              {formatRelative(c.health.lastSuccessAt)}
            </TableCell>
            <TableCell className="align-top text-xs tabular-nums">{c.health.pending}</TableCell>
            <TableCell className="align-top">
              <RowActions>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Send test to ${c.name}`}
                  disabled={test.isPending}
                  onClick={() => sendTest(c)}
                >
                  <Send /> Send test
                </Button>
                <RowIconButton label={`Edit ${c.name}`} onClick={() => onEdit(c)}>
                  <Pencil />
                </RowIconButton>
                <DeleteRowButton label={`Delete ${c.name}`} onClick={() => deleting.ask(c)} />
              </RowActions>
            </TableCell>
          </>
        )}
      </QueryTable>
      {deleting.dialog}
    </>
  );
}
