// "Live" badge: whether the tenant's event stream is connected (else the pages fall back to polling).
import { StatusDot } from '@/components/ui/status-dot';
import { useStreamState } from './tenant-events-provider';

export function LiveIndicator() {
  const state = useStreamState();
  const text = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline – polling';
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
