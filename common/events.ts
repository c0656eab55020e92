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

/** One kind of tenant event: its `type`, the tenant and time every event carries, and its own fields. */
function event<T extends string, S extends z.ZodRawShape>(type: T, fields: S) {
  return z.object({ type: z.literal(type), ...base, ...fields });
}
const server = { serverId: z.string() };
const namedServer = { ...server, name: z.string() };
const guest = { ...server, vmid: z.number() };
const console_ = { ...guest, consoleId: z.string(), userId: z.string() };

export const TenantEvent = z.discriminatedUnion('type', [
  event('server.created', namedServer),
  event('server.updated', namedServer),
  event('server.deleted', server),
  event('server.tls_mismatch', { ...namedServer, expected: z.string().nullable(), actual: z.string().nullable() }),
  event('server.status_changed', {
    ...namedServer,
    from: ServerStatus,
    to: ServerStatus,
    error: z.string().nullable(),
  }),
  event('server.health', {
    ...server,
    status: ServerStatus,
    ok: z.boolean(),
    responseTimeMs: z.number().nullable(),
    avgResponseTimeMs: z.number().nullable(),
    successRate: z.number().nullable(),
    error: z.string().nullable(),
  }),
  event('metrics.recorded', { ...server, kind: z.string() }),
  event('vm.action', { ...guest, action: z.string(), upid: z.string(), actorUserId: z.string().nullable() }),
  event('task.finished', {
    ...server,
    vmid: z.number().nullable(),
    upid: z.string(),
    ok: z.boolean(),
    exitstatus: z.string().nullable(),
    guestStatus: z.string().nullable(),
  }),
  event('vm.status', { ...guest, status: z.string() }),
  event('console.opened', console_),
  event('console.closed', { ...console_, reason: z.string().nullable() }),
  event('member.changed', { userId: z.string(), role: z.string().nullable() }),
  event('tenant.updated', {}),
  event('notification.created', {
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
