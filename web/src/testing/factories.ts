// Test data for the web unit tests: factories with overrides (STYLE.md §11), shaped as the API
// returns them.
import type { Channel } from '@/features/alerts/api/alerts';
import type { ProxmoxServer } from '@/features/servers/types';
import type { Guest, GuestList } from '@/features/vms/types';

export function makeServer(over: Partial<ProxmoxServer> = {}): ProxmoxServer {
  return {
    id: 'srv-1',
    tenantId: 't-1',
    name: 'pve-a',
    host: 'pve-a.example.lan',
    port: 8006,
    dialHost: 'pve-a.example.lan',
    tokenId: 'nexus@pve!broker',
    tlsMode: 'pinned',
    tlsFingerprint: Array.from({ length: 32 }, () => 'AB').join(':'),
    caPem: null,
    useTailscale: false,
    tailscaleHostname: null,
    connectionTimeoutMs: 10_000,
    isActive: true,
    status: 'online',
    statusChangedAt: null,
    lastHealthCheckAt: '2026-01-01T10:00:00.000Z',
    healthCheckError: null,
    avgResponseTimeMs: 40,
    successRate: 1,
    learnedTimeoutMs: null,
    consecutiveFailures: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    can: { manage: true },
    ...over,
  };
}

export function makeGuest(over: Partial<Guest> = {}): Guest {
  return {
    serverId: 'srv-1',
    node: 'pve1',
    vmid: 100,
    type: 'qemu',
    name: 'web-01',
    status: 'running',
    cpu: 0.1,
    maxcpu: 2,
    mem: 1024,
    maxmem: 4096,
    disk: 0,
    maxdisk: 10_000,
    uptime: 3600,
    tags: [],
    template: false,
    pool: null,
    lock: null,
    hastate: null,
    nodeOffline: false,
    can: { console: 'interactive', power: true, snapshot: true, backup: true, share: 'control' },
    ...over,
  };
}

export function makeGuestList(vms: Guest[]): GuestList {
  const serverIds = [...new Set(vms.map((g) => g.serverId))];
  return {
    vms,
    servers: serverIds.map((serverId) => ({
      serverId,
      name: serverId,
      ok: true,
      error: null,
      fetchedAt: '2026-01-01T10:00:00.000Z',
      stale: false,
      offlineNodes: [],
    })),
  };
}

/** An alert channel as the API lists it: a signed webhook (its URL masked) unless overridden. */
export function makeChannel(over: Partial<Channel> = {}): Channel {
  return {
    id: 'c1',
    name: 'Chat',
    type: 'webhook',
    to: null,
    url: 'https://hooks.example/…',
    preset: 'slack',
    hasSecret: true,
    events: ['server.offline'],
    enabled: true,
    maxPerHour: 20,
    quietHours: null,
    language: 'en',
    createdAt: '',
    updatedAt: '',
    health: { lastSuccessAt: null, lastFailureAt: null, lastError: null, failingSince: null, pending: 0 },
    ...over,
  };
}
