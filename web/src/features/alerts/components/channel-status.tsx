// A channel's state in the list: its health (failing since when, and why), the outcome of the
// last test sent from this page, and its recent deliveries.
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { Badge } from '@/components/ui/badge';
import { Skeleton } from '@/components/ui/misc';
import { formatDateTime } from '@/lib/format';
import { type Channel, type Delivery, type TestResult, useDeliveries } from '../api/alerts';
import { al, attempts, deliveryStates, failingSince, testDelivered, testFailed } from '../messages';

export function ChannelHealth({ c }: { c: Channel }) {
  const h = c.health;
  const t = useIntl().formatMessage;
  if (h.failingSince) {
    return (
      <Badge variant="destructive" className="max-w-80 whitespace-normal rounded-md">
        {t(failingSince, { since: formatDateTime(h.failingSince), reason: h.lastError ?? t(al.noReason) })}
      </Badge>
    );
  }
  if (h.lastSuccessAt) return <Badge variant="success">{t(al.working)}</Badge>;
  return <span className="whitespace-nowrap text-xs text-muted-foreground">{t(al.nothingSent)}</span>;
}

export function TestOutcome({ result, pending }: { result: TestResult | undefined; pending: boolean }) {
  const t = useIntl().formatMessage;
  if (pending) return <p className="text-xs text-muted-foreground">{t(al.sendingTest)}</p>;
  if (!result) return null;
  return result.ok ? (
    <p className="text-xs text-success-text">{t(testDelivered, { ms: result.durationMs })}</p>
  ) : (
    <p className="text-xs text-destructive-text">{t(testFailed, { reason: result.error ?? t(al.noReason) })}</p>
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
  const t = useIntl().formatMessage;
  let body: ReactNode;
  if (q.isPending) body = <Skeleton className="h-8" />;
  else if (q.isError) body = <p className="text-xs text-destructive-text">{t(al.deliveriesFailed)}</p>;
  else if (rows.length === 0) body = <p className="text-xs text-muted-foreground">{t(al.nothingSentYet)}</p>;
  else {
    body = (
      <ul className="grid gap-1 text-xs">
        {rows.map((d) => (
          <li key={d.id} className="flex flex-wrap items-baseline gap-x-2">
            <Badge variant={STATE_VARIANT[d.state]}>{t(deliveryStates[d.state])}</Badge>
            <span className="text-muted-foreground">{formatDateTime(d.sentAt ?? d.createdAt)}</span>
            <span>{d.summary}</span>
            {d.attempts > 1 ? (
              <span className="text-muted-foreground">{t(attempts, { count: d.attempts })}</span>
            ) : null}
            {d.lastError ? <span className="text-destructive-text">{d.lastError}</span> : null}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section
      id={id}
      aria-label={t(al.recentDeliveries)}
      className="mt-2 max-h-64 overflow-y-auto rounded-md border p-2"
    >
      {body}
    </section>
  );
}
