import type { TenantEvent } from '@common/events';
import type { Me } from '@common/schemas/auth';
import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProxmoxServer } from '@/features/servers/types';
import type { GuestList } from '@/features/vms/types';
import { qk } from '@/lib/query-keys';
import { makeGuest, makeGuestList, makeServer } from '@/testing/factories';
import { applyTenantEvent } from './apply-event';

const toast = vi.hoisted(() => vi.fn());
vi.mock('@/components/ui/toast', () => ({ toast }));

const T = 't-1';
const at = '2026-01-02T08:00:00.000Z';

/** A cache holding what the tenant's pages would have loaded. */
function seeded() {
  const qc = new QueryClient();
  qc.setQueryData(qk.servers(T), [makeServer(), makeServer({ id: 'srv-2', name: 'pve-b' })]);
  qc.setQueryData(qk.server(T, 'srv-1'), makeServer());
  qc.setQueryData(
    qk.vms(T),
    makeGuestList([makeGuest(), makeGuest({ vmid: 101, name: 'db-01' }), makeGuest({ serverId: 'srv-2' })]),
  );
  qc.setQueryData(qk.vm(T, 'srv-1', 100), makeGuest());
  qc.setQueryData(qk.stats(T), { servers: { total: 2 } });
  qc.setQueryData(qk.members(T), { members: [] });
  qc.setQueryData(qk.me, { user: { id: 'u-me' } } as Me);
  qc.setQueryData(qk.tenant(T), { id: T });
  return qc;
}

const invalidated = (qc: QueryClient, key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated ?? false;
const servers = (qc: QueryClient) => qc.getQueryData<ProxmoxServer[]>(qk.servers(T)) ?? [];
const guests = (qc: QueryClient) => qc.getQueryData<GuestList>(qk.vms(T))?.vms ?? [];

function statusChanged(from: string, to: string, error: string | null = null): TenantEvent {
  return {
    type: 'server.status_changed',
    tenantId: T,
    at,
    serverId: 'srv-1',
    name: 'pve-a',
    from,
    to,
    error,
  } as TenantEvent;
}

beforeEach(() => toast.mockClear());

describe('applyTenantEvent', () => {
  it('patches a status change into the list and the detail, and says a server went away', () => {
    const qc = seeded();
    applyTenantEvent(qc, T, statusChanged('online', 'offline', 'connect ETIMEDOUT'));

    const [a, b] = servers(qc);
    expect(a).toMatchObject({ status: 'offline', healthCheckError: 'connect ETIMEDOUT', statusChangedAt: at });
    expect(b?.status).toBe('online');
    expect(qc.getQueryData<ProxmoxServer>(qk.server(T, 'srv-1'))?.status).toBe('offline');
    expect(invalidated(qc, qk.stats(T))).toBe(true);
    expect(invalidated(qc, qk.vms(T))).toBe(true);
    expect(invalidated(qc, qk.members(T))).toBe(false);
    expect(toast).toHaveBeenCalledExactlyOnceWith({
      variant: 'error',
      title: 'pve-a is unreachable',
      description: 'connect ETIMEDOUT',
    });
  });

  it('announces a recovery only from a bad status, and warns on degraded', () => {
    const qc = seeded();
    applyTenantEvent(qc, T, statusChanged('tls_error', 'online'));
    expect(toast).toHaveBeenLastCalledWith({ variant: 'success', title: 'pve-a is back online' });

    toast.mockClear();
    applyTenantEvent(qc, T, statusChanged('degraded', 'online'));
    expect(toast).not.toHaveBeenCalled();

    applyTenantEvent(qc, T, statusChanged('online', 'degraded', 'slow'));
    expect(toast).toHaveBeenCalledExactlyOnceWith({
      variant: 'warning',
      title: 'pve-a is degraded',
      description: 'slow',
    });
  });

  it('warns once when the success rate falls below the alert line, not while it stays there', () => {
    const qc = seeded();
    const health = (successRate: number): TenantEvent => ({
      type: 'server.health',
      tenantId: T,
      at,
      serverId: 'srv-1',
      status: 'online',
      ok: true,
      responseTimeMs: 50,
      avgResponseTimeMs: 55,
      successRate,
      error: null,
    });

    applyTenantEvent(qc, T, health(0.95));
    expect(toast).not.toHaveBeenCalled();
    expect(servers(qc)[0]).toMatchObject({ successRate: 0.95, avgResponseTimeMs: 55, lastHealthCheckAt: at });

    applyTenantEvent(qc, T, health(0.8));
    expect(toast).toHaveBeenCalledExactlyOnceWith({ variant: 'warning', title: 'pve-a: success rate dropped to 80%' });

    applyTenantEvent(qc, T, health(0.7));
    expect(toast).toHaveBeenCalledTimes(1);
    expect(servers(qc)[0]?.successRate).toBe(0.7);
  });

  it('patches the one guest a vm.status names, on that server only', () => {
    const qc = seeded();
    applyTenantEvent(qc, T, { type: 'vm.status', tenantId: T, at, serverId: 'srv-1', vmid: 100, status: 'stopped' });

    expect(guests(qc).map((g) => `${g.serverId}/${g.vmid}:${g.status}`)).toEqual([
      'srv-1/100:stopped',
      'srv-1/101:running',
      'srv-2/100:running',
    ]);
    expect(invalidated(qc, qk.vm(T, 'srv-1', 100))).toBe(true);
    expect(invalidated(qc, qk.stats(T))).toBe(true);
    expect(invalidated(qc, qk.servers(T))).toBe(false);
  });

  it('reports a failed task with the guest and the server name from the cache', () => {
    const qc = seeded();
    applyTenantEvent(qc, T, {
      type: 'task.finished',
      tenantId: T,
      at,
      serverId: 'srv-2',
      vmid: 100,
      upid: 'UPID:pve1:1',
      ok: false,
      exitstatus: 'command failed',
      guestStatus: 'stopped',
    });

    expect(guests(qc).find((g) => g.serverId === 'srv-2')?.status).toBe('stopped');
    expect(toast).toHaveBeenCalledExactlyOnceWith({
      variant: 'error',
      title: 'Guest 100 on pve-b: task failed',
      description: 'command failed',
    });
  });

  it('refetches who I am only when my own membership changed', () => {
    const other = seeded();
    applyTenantEvent(other, T, { type: 'member.changed', tenantId: T, at, userId: 'u-other', role: 'viewer' });
    expect(invalidated(other, qk.members(T))).toBe(true);
    expect(invalidated(other, qk.me)).toBe(false);

    const mine = seeded();
    applyTenantEvent(mine, T, { type: 'member.changed', tenantId: T, at, userId: 'u-me', role: null });
    expect(invalidated(mine, qk.me)).toBe(true);
    expect(invalidated(mine, qk.servers(T))).toBe(true);
  });

  it('invalidates servers, guests and stats when the server list changes, nothing else', () => {
    const qc = seeded();
    applyTenantEvent(qc, T, { type: 'server.deleted', tenantId: T, at, serverId: 'srv-2' });
    expect(invalidated(qc, qk.servers(T))).toBe(true);
    expect(invalidated(qc, qk.vms(T))).toBe(true);
    expect(invalidated(qc, qk.stats(T))).toBe(true);
    expect(invalidated(qc, qk.members(T))).toBe(false);
    expect(servers(qc)).toHaveLength(2);
    expect(toast).not.toHaveBeenCalled();
  });
});
