// The realtime event union: what the server pushes to browsers on a tenant's SSE stream.
// Adding a kind here is the only way to send something new (no free-form event names).
import { z } from 'zod';

const base = { tenantId: z.string(), at: z.string() };

/** `refused`: the egress policy does not let Nexus dial the server's address. */
export const ServerStatus = z.enum(['online', 'degraded', 'offline', 'auth_error', 'tls_error', 'refused', 'unknown']);
export type ServerStatus = z.infer<typeof ServerStatus>;

export const NotificationSubject = z.object({
  serverId: z.string().optional(),
  vmid: z.number().optional(),
  userId: z.string().optional(),
});
export type NotificationSubject = z.infer<typeof NotificationSubject>;

export const TenantEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('server.created'), ...base, serverId: z.string(), name: z.string() }),
  z.object({ type: z.literal('server.updated'), ...base, serverId: z.string(), name: z.string() }),
  z.object({ type: z.literal('server.deleted'), ...base, serverId: z.string() }),
  z.object({
    type: z.literal('server.tls_mismatch'),
    ...base,
    serverId: z.string(),
    name: z.string(),
    expected: z.string().nullable(),
    actual: z.string().nullable(),
  }),
  z.object({
    type: z.literal('server.status_changed'),
    ...base,
    serverId: z.string(),
    name: z.string(),
    from: ServerStatus,
    to: ServerStatus,
    error: z.string().nullable(),
  }),
  z.object({
    type: z.literal('server.health'),
    ...base,
    serverId: z.string(),
    status: ServerStatus,
    ok: z.boolean(),
    responseTimeMs: z.number().nullable(),
    avgResponseTimeMs: z.number().nullable(),
    successRate: z.number().nullable(),
    error: z.string().nullable(),
  }),
  z.object({ type: z.literal('metrics.recorded'), ...base, serverId: z.string(), kind: z.string() }),
  z.object({
    type: z.literal('vm.action'),
    ...base,
    serverId: z.string(),
    vmid: z.number(),
    action: z.string(),
    upid: z.string(),
    actorUserId: z.string().nullable(),
  }),
  z.object({
    type: z.literal('task.finished'),
    ...base,
    serverId: z.string(),
    vmid: z.number().nullable(),
    upid: z.string(),
    ok: z.boolean(),
    exitstatus: z.string().nullable(),
    guestStatus: z.string().nullable(),
  }),
  z.object({
    type: z.literal('vm.status'),
    ...base,
    serverId: z.string(),
    vmid: z.number(),
    status: z.string(),
  }),
  z.object({
    type: z.literal('console.opened'),
    ...base,
    serverId: z.string(),
    vmid: z.number(),
    consoleId: z.string(),
    userId: z.string(),
  }),
  z.object({
    type: z.literal('console.closed'),
    ...base,
    serverId: z.string(),
    vmid: z.number(),
    consoleId: z.string(),
    userId: z.string(),
    reason: z.string().nullable(),
  }),
  z.object({ type: z.literal('member.changed'), ...base, userId: z.string(), role: z.string().nullable() }),
  z.object({ type: z.literal('tenant.updated'), ...base }),
  z.object({
    type: z.literal('notification.created'),
    ...base,
    notificationId: z.string(),
    kind: z.string(),
    /** What it is about, so that it reaches only those who may see that (as its listing does). */
    about: NotificationSubject.optional(),
  }),
]);
export type TenantEvent = z.infer<typeof TenantEvent>;
export type TenantEventType = TenantEvent['type'];

/** Events between server instances only (never sent to browsers). */
export type SystemEvent =
  | { type: 'revoke.sessions'; userId: string; sessionIds: string[]; reason: string }
  | { type: 'revoke.user'; userId: string; reason: string }
  | { type: 'revoke.token'; userId: string; tokenId: string; reason: string }
  | { type: 'revoke.membership'; userId: string; tenantId: string; reason: string }
  | { type: 'revoke.server'; tenantId: string; serverId: string; reason: string }
  | { type: 'revoke.tenant'; tenantId: string; reason: string }
  | { type: 'console.close'; consoleId: string; reason: string }
  | { type: 'revoke.share'; shareId: string; reason: string };
