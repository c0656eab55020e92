// The tenant's alert channels: where each goes, its events, whether it is failing (and why),
// a test that reports how it went, its recent deliveries, change and remove.
import { BellRing, ChevronDown, Pencil, Send } from 'lucide-react';
import { useState } from 'react';
import { QueryTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { formatDateTime } from '@/lib/format';
import {
  type Channel,
  type TestResult,
  useChannels,
  useDeleteChannel,
  useDeliveries,
  useTestChannel,
} from '../api/alerts';
import { EVENT_LABELS, PRESET_LABELS } from '../channel-form-state';

function Deliveries({ tenantId, channelId }: { tenantId: string; channelId: string }) {
  const q = useDeliveries(tenantId, channelId, true);
  const rows = q.data?.deliveries ?? [];
  if (q.isPending) return <Skeleton className="h-8" />;
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">Nothing sent yet.</p>;
  return (
    <ul className="grid gap-1 text-sm">
      {rows.slice(0, 10).map((d) => (
        <li key={d.id}>
          <Badge variant={d.state === 'sent' ? 'success' : d.state === 'pending' ? 'warning' : 'secondary'}>
            {d.state}
          </Badge>{' '}
          {formatDateTime(d.createdAt)} — {d.summary}
          {d.lastError ? <span className="text-destructive-text"> ({d.lastError})</span> : null}
        </li>
      ))}
    </ul>
  );
}

function Health({ c }: { c: Channel }) {
  if (!c.enabled) return <Badge variant="secondary">off</Badge>;
  if (c.health.failingSince) {
    return (
      <div className="grid gap-1">
        <Badge variant="destructive">Failing since {formatDateTime(c.health.failingSince)}</Badge>
        <span className="text-xs text-destructive-text">{c.health.lastError}</span>
      </div>
    );
  }
  return (
    <div className="grid gap-1 text-xs text-muted-foreground">
      <Badge variant="success">working</Badge>
      {c.health.lastSuccessAt ? <span>last sent {formatDateTime(c.health.lastSuccessAt)}</span> : null}
      {c.health.pending > 0 ? <span>{c.health.pending} waiting</span> : null}
    </div>
  );
}

export function ChannelsTable({ tenantId, onEdit }: { tenantId: string; onEdit(c: Channel): void }) {
  const channels = useChannels(tenantId);
  const test = useTestChannel(tenantId);
  const del = useDeleteChannel(tenantId);
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const [open, setOpen] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
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
        columns={['Channel', 'Events', 'Health']}
        actions
        rowKey={(c) => c.id}
      >
        {(c) => (
          <>
            <TableCell>
              <span className="font-medium">{c.name}</span>{' '}
              <Badge variant="outline">{c.type === 'email' ? 'e-mail' : PRESET_LABELS[c.preset ?? 'json']}</Badge>
              <div className="max-w-72 truncate text-xs text-muted-foreground">
                {c.type === 'email' ? (c.to ?? []).join(', ') : c.url}
              </div>
              {results[c.id] ? (
                <div className={results[c.id]?.ok ? 'text-xs text-success-text' : 'text-xs text-destructive-text'}>
                  {results[c.id]?.ok
                    ? `Test delivered in ${results[c.id]?.durationMs} ms`
                    : `Test failed: ${results[c.id]?.error ?? ''}`}
                </div>
              ) : null}
              {open === c.id ? (
                <div className="mt-2">
                  <Deliveries tenantId={tenantId} channelId={c.id} />
                </div>
              ) : null}
            </TableCell>
            <TableCell className="max-w-64 text-xs">{c.events.map((e) => EVENT_LABELS[e]).join(' · ')}</TableCell>
            <TableCell>
              <Health c={c} />
            </TableCell>
            <TableCell>
              <RowActions>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Send test to ${c.name}`}
                  disabled={test.isPending}
                  onClick={() =>
                    test.mutate(c.id, {
                      onSuccess: (r) => setResults((prev) => ({ ...prev, [c.id]: r })),
                      onError: toastError(`Could not test ${c.name}`),
                    })
                  }
                >
                  <Send /> Send test
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Recent deliveries of ${c.name}`}
                  aria-expanded={open === c.id}
                  onClick={() => setOpen(open === c.id ? null : c.id)}
                >
                  <ChevronDown />
                </Button>
                <Button variant="ghost" size="sm" aria-label={`Change ${c.name}`} onClick={() => onEdit(c)}>
                  <Pencil />
                </Button>
                <DeleteRowButton label={`Remove ${c.name}`} onClick={() => setDeleting(c)} />
              </RowActions>
            </TableCell>
          </>
        )}
      </QueryTable>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Remove ${deleting?.name ?? ''}?`}
        description="It receives nothing more; messages waiting for it are dropped."
        confirmLabel="Remove"
        onConfirm={() => {
          const c = deleting;
          setDeleting(null);
          if (!c) return;
          del.mutate(c.id, {
            onSuccess: () => toast({ variant: 'success', title: `${c.name} removed` }),
            onError: toastError(`Could not remove ${c.name}`),
          });
        }}
      />
    </>
  );
}
