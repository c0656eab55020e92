// Every query key in one place, shaped as paths so a prefix invalidates a whole subtree
// (`['tenant', id]` covers that tenant's servers, guests, members, …).
export const qk = {
  me: ['me'] as const,
  account: ['account'] as const,
  tokens: ['tokens'] as const,
  users: (search = '') => ['users', search] as const,
  usersAll: ['users'] as const,
  tenants: ['tenants'] as const,
  tenant: (t: string) => ['tenant', t] as const,
  tenantInfo: (t: string) => ['tenant', t, 'info'] as const,
  settings: (t: string) => ['tenant', t, 'settings'] as const,
  stats: (t: string) => ['tenant', t, 'stats'] as const,
  members: (t: string) => ['tenant', t, 'members'] as const,
  invitations: (t: string) => ['tenant', t, 'invitations'] as const,
  assignments: (t: string, u: string) => ['tenant', t, 'members', u, 'assignments'] as const,
  servers: (t: string) => ['tenant', t, 'servers'] as const,
  server: (t: string, s: string) => ['tenant', t, 'servers', s] as const,
  metrics: (t: string, s: string, hours: number) => ['tenant', t, 'servers', s, 'metrics', hours] as const,
  serverMetricsAll: (t: string, s: string) => ['tenant', t, 'servers', s, 'metrics'] as const,
  vms: (t: string) => ['tenant', t, 'vms'] as const,
  vm: (t: string, s: string, vmid: number) => ['tenant', t, 'vm', s, vmid] as const,
  /** Under the guest's key: a finished task of the guest refreshes them too. */
  snapshots: (t: string, s: string, vmid: number) => ['tenant', t, 'vm', s, vmid, 'snapshots'] as const,
  rrd: (t: string, s: string, vmid: number, timeframe: string) =>
    ['tenant', t, 'vm', s, vmid, 'rrd', timeframe] as const,
  consoles: (t: string, s: string, vmid: number) => ['tenant', t, 'vm', s, vmid, 'consoles'] as const,
  task: (t: string, s: string, upid: string) => ['tenant', t, 'task', s, upid] as const,
  notifications: (t: string) => ['tenant', t, 'notifications'] as const,
  explorer: (t: string, s: string, path: string) => ['tenant', t, 'explorer', s, path] as const,
  audit: (scope: string, filters: Record<string, string | undefined>) => ['audit', scope, filters] as const,
  auditVerify: ['audit', 'verify'] as const,
  invitation: (token: string) => ['invitation', token] as const,
};
