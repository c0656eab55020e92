// A server's status as dot + text, and the banners that name unreachable servers with "since when".
import type { ServerStatus } from '@common/events';
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { StatusDot, statusLabel } from '@/components/ui/status-dot';
import { BAD_STATUSES, SUCCESS_RATE_ALERT } from '@/features/realtime/apply-event';
import type { ServerFetchStatus } from '@/features/vms/types';
import { formatTime } from '@/lib/format';
import { guestsUnlisted, lowSuccessRate, problem, problemSince } from '../messages';
import type { ProxmoxServer } from '../types';

export function ServerStatusBadge({ status }: { status: ServerStatus | string }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-sm">
      <StatusDot status={status} pulse={status === 'online'} />
      {statusLabel(status)}
    </span>
  );
}

function fetchError(f: ServerFetchStatus | undefined): string | null {
  if (!f || f.ok || !f.error) return null;
  return typeof f.error === 'string' ? f.error : f.error.message;
}

/** One banner per server with a problem: health status from the servers list, fetch errors from the guest list. */
export function ServerProblemBanners({
  tenantId,
  servers,
  fetches,
}: {
  tenantId: string;
  servers: ProxmoxServer[];
  fetches?: ServerFetchStatus[];
}) {
  const t = useIntl().formatMessage;
  const banners: Array<{ id: string; title: ReactNode; detail: string | null; severe: boolean }> = [];
  // The banner's title: the server's name, linked to its page, then what is wrong.
  const link = (id: string) => (chunks: ReactNode[]) => (
    <Link to={`/tenants/${tenantId}/servers/${id}`} className="hover:underline">
      {chunks}
    </Link>
  );
  for (const s of servers) {
    if (!s.isActive) continue;
    const f = fetches?.find((x) => x.serverId === s.id);
    const ferr = fetchError(f);
    if (BAD_STATUSES.has(s.status)) {
      const since = s.statusChangedAt ?? (f && !f.ok ? f.fetchedAt : null) ?? s.lastHealthCheckAt;
      const values = { name: s.name, status: s.status, link: link(s.id) };
      banners.push({
        id: s.id,
        title: since ? t(problemSince, { ...values, time: formatTime(since) }) : t(problem, values),
        detail: s.healthCheckError ?? ferr,
        severe: true,
      });
    } else if (ferr) {
      // Healthy, but its guests could not be listed (rights, a node, a timeout of that one call).
      banners.push({
        id: s.id,
        title: t(guestsUnlisted, { name: s.name, link: link(s.id) }),
        detail: ferr,
        severe: true,
      });
    } else if (s.successRate !== null && s.successRate < SUCCESS_RATE_ALERT) {
      banners.push({
        id: s.id,
        title: t(lowSuccessRate, { name: s.name, rate: Math.round(s.successRate * 100), link: link(s.id) }),
        detail: s.healthCheckError,
        severe: false,
      });
    }
  }
  // Guest-list rows for servers not in the servers list (should not happen, but never hide an error).
  for (const f of fetches ?? []) {
    const ferr = fetchError(f);
    if (ferr && !servers.some((s) => s.id === f.serverId)) {
      banners.push({
        id: f.serverId,
        title: t(problem, { name: f.name, status: 'offline', link: link(f.serverId) }),
        detail: ferr,
        severe: true,
      });
    }
  }
  if (banners.length === 0) return null;
  return (
    <div className="grid gap-2" data-testid="server-banners">
      {banners.map((b) => (
        <Alert key={b.id} variant={b.severe ? 'destructive' : 'warning'} title={b.title}>
          {b.detail}
        </Alert>
      ))}
    </div>
  );
}
