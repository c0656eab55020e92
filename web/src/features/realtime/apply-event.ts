// How each realtime event changes the query cache: patch what the event fully describes,
// invalidate what it only hints at. One place, one switch over the typed union.

import type { ServerStatus, TenantEvent } from '@common/events';
import type { Me } from '@common/schemas/auth';
import type { QueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import type { ProxmoxServer } from '@/features/servers/types';
import type { GuestList } from '@/features/vms/types';
import { translate } from '@/i18n/current-intl';
import { qk } from '@/lib/query-keys';
import { guestTaskFailed, rateDropped, serverNow, taskFailed } from './messages';

/** Statuses in which Nexus cannot use a server (alerts, banners). */
export const BAD_STATUSES: ReadonlySet<string> = new Set<ServerStatus>([
  'offline',
  'auth_error',
  'tls_error',
  'refused',
]);
/** A server's new state, as a toast says it (the server's name is the sentence's subject). */
const statusText = (name: string, status: ServerStatus) => translate(serverNow, { name, status });
/** Below this 24 h success rate a server raises a health alert. */
export const SUCCESS_RATE_ALERT = 0.9;

function patchServer(qc: QueryClient, tenantId: string, serverId: string, patch: Partial<ProxmoxServer>) {
  qc.setQueryData<ProxmoxServer[]>(qk.servers(tenantId), (list) =>
    list?.map((s) => (s.id === serverId ? { ...s, ...patch } : s)),
  );
  qc.setQueryData<ProxmoxServer>(qk.server(tenantId, serverId), (s) => (s ? { ...s, ...patch } : s));
}

function patchGuestStatus(qc: QueryClient, tenantId: string, serverId: string, vmid: number, status: string) {
  qc.setQueryData<GuestList>(qk.vms(tenantId), (list) =>
    list
      ? {
          ...list,
          vms: list.vms.map((g) => (g.serverId === serverId && g.vmid === vmid ? { ...g, status } : g)),
        }
      : list,
  );
}

function serverName(qc: QueryClient, tenantId: string, serverId: string): string {
  return qc.getQueryData<ProxmoxServer[]>(qk.servers(tenantId))?.find((s) => s.id === serverId)?.name ?? 'A server';
}

export function applyTenantEvent(qc: QueryClient, tenantId: string, ev: TenantEvent): void {
  switch (ev.type) {
    case 'server.created':
    case 'server.updated':
    case 'server.deleted':
      void qc.invalidateQueries({ queryKey: qk.servers(tenantId) });
      void qc.invalidateQueries({ queryKey: qk.vms(tenantId) });
      void qc.invalidateQueries({ queryKey: qk.stats(tenantId) });
      return;
    case 'server.status_changed': {
      patchServer(qc, tenantId, ev.serverId, {
        status: ev.to,
        healthCheckError: ev.error,
        statusChangedAt: ev.at,
      });
      void qc.invalidateQueries({ queryKey: qk.stats(tenantId) });
      void qc.invalidateQueries({ queryKey: qk.vms(tenantId) });
      if (BAD_STATUSES.has(ev.to)) {
        toast({ variant: 'error', title: statusText(ev.name, ev.to), description: ev.error ?? undefined });
      } else if (ev.to === 'degraded') {
        toast({ variant: 'warning', title: statusText(ev.name, ev.to), description: ev.error ?? undefined });
      } else if (ev.to === 'online' && BAD_STATUSES.has(ev.from)) {
        toast({ variant: 'success', title: statusText(ev.name, 'online') });
      }
      return;
    }
    case 'server.health': {
      const before = qc.getQueryData<ProxmoxServer[]>(qk.servers(tenantId))?.find((s) => s.id === ev.serverId);
      patchServer(qc, tenantId, ev.serverId, {
        status: ev.status,
        avgResponseTimeMs: ev.avgResponseTimeMs,
        successRate: ev.successRate,
        healthCheckError: ev.error,
        lastHealthCheckAt: ev.at,
      });
      if (
        before &&
        ev.successRate !== null &&
        ev.successRate < SUCCESS_RATE_ALERT &&
        (before.successRate === null || before.successRate >= SUCCESS_RATE_ALERT)
      ) {
        toast({
          variant: 'warning',
          title: translate(rateDropped, { name: before.name, rate: Math.round(ev.successRate * 100) }),
        });
      }
      return;
    }
    case 'metrics.recorded':
      void qc.invalidateQueries({ queryKey: qk.serverMetricsAll(tenantId, ev.serverId) });
      return;
    case 'vm.status':
      patchGuestStatus(qc, tenantId, ev.serverId, ev.vmid, ev.status);
      void qc.invalidateQueries({ queryKey: qk.vm(tenantId, ev.serverId, ev.vmid) });
      void qc.invalidateQueries({ queryKey: qk.stats(tenantId) });
      return;
    case 'vm.action':
      void qc.invalidateQueries({ queryKey: qk.vms(tenantId) });
      return;
    case 'task.finished': {
      if (ev.vmid !== null && ev.guestStatus) patchGuestStatus(qc, tenantId, ev.serverId, ev.vmid, ev.guestStatus);
      void qc.invalidateQueries({ queryKey: qk.vms(tenantId) });
      void qc.invalidateQueries({ queryKey: qk.stats(tenantId) });
      if (ev.vmid !== null) void qc.invalidateQueries({ queryKey: qk.vm(tenantId, ev.serverId, ev.vmid) });
      if (!ev.ok) {
        const title =
          ev.vmid !== null
            ? translate(guestTaskFailed, { vmid: ev.vmid, server: serverName(qc, tenantId, ev.serverId) })
            : translate(taskFailed);
        toast({ variant: 'error', title, description: ev.exitstatus ?? undefined });
      }
      return;
    }
    case 'console.opened':
    case 'console.closed':
      void qc.invalidateQueries({ queryKey: qk.consoles(tenantId, ev.serverId, ev.vmid) });
      void qc.invalidateQueries({ queryKey: qk.stats(tenantId) });
      return;
    case 'member.changed': {
      void qc.invalidateQueries({ queryKey: qk.members(tenantId) });
      const me = qc.getQueryData<Me>(qk.me);
      if (me && me.user.id === ev.userId) {
        void qc.invalidateQueries({ queryKey: qk.me });
        void qc.invalidateQueries({ queryKey: qk.tenant(tenantId) });
      }
      return;
    }
    case 'tenant.updated':
      void qc.invalidateQueries({ queryKey: qk.tenantInfo(tenantId) });
      void qc.invalidateQueries({ queryKey: qk.settings(tenantId) });
      return;
    case 'notification.created':
      void qc.invalidateQueries({ queryKey: qk.notifications(tenantId) });
      return;
  }
}
