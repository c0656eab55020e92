// A channel's state in the list: its health (failing since when, and why), the outcome of the
// last test sent from this page, and its recent deliveries.
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Skeleton } from '@/components/ui/misc';
import { formatDateTime } from '@/lib/format';
import { type Channel, type Delivery, type TestResult, useDeliveries } from '../api/alerts';

export function ChannelHealth({ c }: { c: Channel }) {
  const h = c.health;
  if (h.failingSince) {
    return (
      <Badge variant="destructive" className="max-w-80 whitespace-normal rounded-md">
        Failing since {formatDateTime(h.failingSince)}: {h.lastError ?? 'no reason given'}
      </Badge>
    );
  }
  if (h.lastSuccessAt) return <Badge variant="success">Working</Badge>;
  return <span className="whitespace-nowrap text-xs text-muted-foreground">Nothing sent yet</span>;
}

export function TestOutcome({ result, pending }: { result: TestResult | undefined; pending: boolean }) {
  if (pending) return <p className="text-xs text-muted-foreground">Sending a test…</p>;
  if (!result) return null;
  return result.ok ? (
    <p className="text-xs text-success-text">✓ Test delivered in {result.durationMs} ms</p>
  ) : (
    <p className="text-xs text-destructive-text">✗ Test failed: {result.error ?? 'no reason given'}</p>
  );
}

const STATE_VARIANT: Record<Delivery['state'], 'success' | 'warning' | 'destructive' | 'secondary'> = {
  sent: 'success',
  pending: 'warning',
  failed: 'destructive',
  folded: 'secondary',
  skipped: 'secondary',
};

export function RecentDeliveries({ tenantId, channelId, id }: { tenantId: string; channelId: string; id: string }) {
  const q = useDeliveries(tenantId, channelId, true);
  const rows = q.data?.deliveries ?? [];
  let body: ReactNode;
  if (q.isPending) body = <Skeleton className="h-8" />;
  else if (q.isError) body = <p className="text-xs text-destructive-text">Could not load the deliveries.</p>;
  else if (rows.length === 0) body = <p className="text-xs text-muted-foreground">Nothing sent yet.</p>;
  else {
    body = (
      <ul className="grid gap-1 text-xs">
        {rows.map((d) => (
          <li key={d.id} className="flex flex-wrap items-baseline gap-x-2">
            <Badge variant={STATE_VARIANT[d.state]}>{d.state}</Badge>
            <span className="text-muted-foreground">{formatDateTime(d.sentAt ?? d.createdAt)}</span>
            <span>{d.summary}</span>
            {d.attempts > 1 ? <span className="text-muted-foreground">({d.attempts} attempts)</span> : null}
            {d.lastError ? <span className="text-destructive-text">{d.lastError}</span> : null}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section id={id} aria-label="Recent deliveries" className="mt-2 max-h-64 overflow-y-auto rounded-md border p-2">
      {body}
    </section>
  );
}
