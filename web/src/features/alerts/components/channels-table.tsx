// The tenant's alert channels: where each goes, its events, whether it is on and working (and
// if not, why), a test that reports how it went, its recent deliveries, change and delete.
import { BellRing, ChevronDown, ChevronRight, Pencil, Send } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useDeleteDialog } from '@/components/confirmed-action';
import { QueryTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, RowIconButton, TableCell } from '@/components/ui/table';
import { toastError } from '@/components/ui/toast';
import { formatDateTime, formatRelative } from '@/lib/format';
import { type Channel, type TestResult, useChannels, useDeleteChannel, useTestChannel } from '../api/alerts';
import { channelTarget, eventLabel, eventShortLabel, PRESET_LABELS } from '../channel-form-state';
import { al, couldNotTest, deleteChannelText, deleteName, editName, sendTestTo, webhookPreset } from '../messages';
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
  const t = useIntl().formatMessage;
  const listId = `deliveries-${c.id}`;
  return (
    <div className="grid min-w-56 gap-0.5">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{c.name}</span>
        <Badge variant="outline">
          {c.type === 'email' ? t(al.email) : t(webhookPreset, { preset: PRESET_LABELS[c.preset ?? 'json'] })}
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
        {open ? <ChevronDown /> : <ChevronRight />} {t(al.recentDeliveries)}
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
  const t = useIntl().formatMessage;
  const deleting = useDeleteDialog<Channel>(deleteChannelText, del, 'name');
  const sendTest = (c: Channel) =>
    test.mutate(c.id, {
      onSuccess: (r) => setResults((prev) => ({ ...prev, [c.id]: r })),
      onError: toastError(t(couldNotTest, { name: c.name })),
    });
  return (
    <>
      <QueryTable
        query={channels}
        rows={(d) => d.channels}
        pending={<Skeleton className="h-32" />}
        empty={<EmptyState icon={<BellRing />} title={t(al.none)} description={t(al.noneHint)} />}
        columns={[t(al.channel), t(al.events), t(al.enabled), t(al.health), t(al.lastSuccess), t(al.waiting)]}
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
                  <Badge key={e} variant="secondary" title={eventLabel(e)}>
                    {eventShortLabel(e)}
                  </Badge>
                ))}
              </div>
            </TableCell>
            <TableCell className="align-top">
              {c.enabled ? <Badge variant="default">{t(al.on)}</Badge> : <Badge variant="secondary">{t(al.off)}</Badge>}
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
                  aria-label={t(sendTestTo, { name: c.name })}
                  disabled={test.isPending}
                  onClick={() => sendTest(c)}
                >
                  <Send /> {t(al.sendTest)}
                </Button>
                <RowIconButton label={t(editName, { name: c.name })} onClick={() => onEdit(c)}>
                  <Pencil />
                </RowIconButton>
                <DeleteRowButton label={t(deleteName, { name: c.name })} onClick={() => deleting.ask(c)} />
              </RowActions>
            </TableCell>
          </>
        )}
      </QueryTable>
      {deleting.dialog}
    </>
  );
}
