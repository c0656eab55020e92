// The one realtime connection per open tenant: an EventSource on /api/tenants/:t/events whose
// events update the query cache (apply-event.ts). Reconnects with back-off; after a gap it
// refetches the tenant's data, since events may have been missed.
import { TenantEvent } from '@common/events';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { qk } from '@/lib/query-keys';
import { applyTenantEvent } from '../apply-event';

export type StreamState = 'connecting' | 'live' | 'offline';
const StreamStateContext = createContext<StreamState>('offline');

const EVENT_TYPES = TenantEvent.options.map((o) => o.shape.type.value);

export function TenantEventsProvider({ tenantId, children }: { tenantId: string; children: ReactNode }) {
  const qc = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    let es: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let everOpened = false;
    let stopped = false;

    const onEvent = (msg: MessageEvent<string>) => {
      let raw: unknown;
      try {
        raw = JSON.parse(msg.data);
      } catch {
        return;
      }
      const parsed = TenantEvent.safeParse(raw);
      if (parsed.success && parsed.data.tenantId === tenantId) applyTenantEvent(qc, tenantId, parsed.data);
    };

    const connect = () => {
      if (stopped) return;
      setState('connecting');
      es = new EventSource(`/api/tenants/${encodeURIComponent(tenantId)}/events`);
      es.onopen = () => {
        attempt = 0;
        setState('live');
        if (everOpened) void qc.invalidateQueries({ queryKey: qk.tenant(tenantId) });
        everOpened = true;
      };
      es.onmessage = onEvent;
      for (const type of EVENT_TYPES) es.addEventListener(type, onEvent);
      // Events were lost (the replay window passed): refetch everything of this tenant.
      es.addEventListener('resync', () => void qc.invalidateQueries({ queryKey: qk.tenant(tenantId) }));
      // The session or membership changed: who am I and what may I do here, again.
      es.addEventListener('revoked', () => {
        void qc.invalidateQueries({ queryKey: qk.me });
        void qc.invalidateQueries({ queryKey: qk.tenant(tenantId) });
      });
      es.onerror = () => {
        // The browser retries by itself while the state is CONNECTING; a refused stream (4xx)
        // closes for good, so retry it ourselves, slower each time.
        if (es?.readyState === EventSource.CLOSED) {
          es.close();
          setState('offline');
          const delay = Math.min(60_000, 1000 * 2 ** attempt++);
          timer = setTimeout(connect, delay);
        } else {
          setState('connecting');
        }
      };
    };

    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      es?.close();
    };
  }, [qc, tenantId]);

  return <StreamStateContext.Provider value={state}>{children}</StreamStateContext.Provider>;
}

export function useStreamState(): StreamState {
  return useContext(StreamStateContext);
}
