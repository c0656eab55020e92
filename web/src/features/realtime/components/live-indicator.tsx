// "Live" badge: whether the tenant's event stream is connected (else the pages fall back to polling).
import { useIntl } from 'react-intl';
import { StatusDot } from '@/components/ui/status-dot';
import { mo } from '@/features/monitoring/messages';
import { useStreamState } from './tenant-events-provider';

export function LiveIndicator() {
  const state = useStreamState();
  const t = useIntl().formatMessage;
  const text = t(state === 'live' ? mo.live : state === 'connecting' ? mo.connecting : mo.polling);
  return (
    <span
      className="inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs"
      data-testid="live-indicator"
      data-state={state}
    >
      <StatusDot
        status={state === 'live' ? 'online' : state === 'connecting' ? 'degraded' : 'unknown'}
        pulse={state === 'live'}
      />
      {text}
    </span>
  );
}
