import { z } from 'zod';
import { parseTargetRule } from '../egress';
import { GUEST_PERMISSIONS, TENANT_ROLES } from '../permissions';
import { Email, HttpUrl, IntRange, model, NonEmpty, TenantParams, Uuid, Vmid } from './shared';

export const Slug = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens only')
  .refine((s) => !s.includes('--'), 'no double hyphens')
  .refine((s) => !['admin', 'api', 'new', 'settings', 'tenants'].includes(s), 'this slug is reserved');

export const TenantCan = z.object({
  update: z.boolean(),
  delete: z.boolean(),
  viewMembers: z.boolean(),
  manageMembers: z.boolean(),
  manageServers: z.boolean(),
  /** May set a server's TLS mode to `insecure`. */
  insecureTls: z.boolean(),
  /** May open node shells (tenant admins; the tenant setting `nodeShell` decides whether they are on). */
  nodeShell: z.boolean(),
  viewAudit: z.boolean(),
  /** May manage outbound alert channels and mutes (tenant admins). */
  manageAlerts: z.boolean(),
  explorer: z.enum(['none', 'read', 'write']),
});

export const Tenant = model('Tenant', {
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  logoUrl: z.string().nullable(),
  isActive: z.boolean(),
  role: z.enum(TENANT_ROLES).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  can: TenantCan,
});
export type Tenant = z.infer<typeof Tenant>;

export const CreateTenantBody = z.object({
  name: NonEmpty(100),
  slug: Slug,
  description: z.string().max(1000).optional(),
  logoUrl: HttpUrl.optional(),
});
export const UpdateTenantBody = z.object({
  name: NonEmpty(100).optional(),
  slug: Slug.optional(),
  description: z.string().max(1000).nullable().optional(),
  logoUrl: HttpUrl.nullable().optional(),
  isActive: z.boolean().optional(),
});

export const ConsoleKindChoice = z.enum(['vnc', 'terminal']);
export type ConsoleKindChoice = z.infer<typeof ConsoleKindChoice>;

const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');

/** One entry of an egress list, written as in NEXUS_ALLOWED_TARGETS (common/egress.ts). */
export const TargetEntry = z
  .string()
  .max(300)
  .superRefine((v, ctx) => {
    const rule = parseTargetRule(v);
    if (typeof rule === 'string') ctx.addIssue({ code: 'custom', message: rule });
  });

export const TenantSettings = model('TenantSettings', {
  maxServers: IntRange(1, 1000),
  viewerConsole: z.enum(['none', 'view-only']),
  maxConcurrentConsoles: IntRange(1, 10_000),
  consoleIdleTimeoutMinutes: IntRange(1, 24 * 60),
  healthCheckIntervalSeconds: IntRange(5, 3600),
  sessionIdleMinutes: IntRange(5, 7 * 24 * 60),
  sessionMaxHours: IntRange(1, 30 * 24),
  defaultConnectionTimeoutMs: IntRange(1000, 120_000),
  defaultTlsMode: z.enum(['pinned', 'ca', 'insecure']),
  /** Where "Back up now" writes (null: the node's first storage for backups) and how. */
  backupStorage: z
    .string()
    .regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i, 'must be a Proxmox storage id')
    .max(64)
    .nullable(),
  backupMode: z.enum(['snapshot', 'suspend', 'stop']),
  /** Tenant admins may open a shell on this tenant's Proxmox nodes (off by default). */
  nodeShell: z.boolean(),
  /** Which console a guest page offers first, per guest type: the graphical one (noVNC) or
   * the text one (xterm.js; a VM has one only with a serial port). */
  defaultConsole: z.object({ qemu: ConsoleKindChoice, lxc: ConsoleKindChoice }),
  /** The most a console share link may give: none, watching, or control (default `view`).
   * Lowering it ends live shares that it no longer allows. */
  consoleSharing: z.enum(['off', 'view', 'control']),
  /** Record every console of this tenant (graphical and text; share links too). */
  consoleRecording: z.enum(['off', 'all']),
  /** Set by global admins: consoles are recorded whatever `consoleRecording` says. */
  consoleRecordingForced: z.boolean(),
  /** Recordings older than this are deleted. */
  recordingRetentionDays: IntRange(1, 3650),
  /** Recordings keep that a key was pressed, not which (passwords typed in a console). */
  recordingMaskKeys: z.boolean(),
  /** Members enter this tenant only with a second factor (those without are walked to it). */
  requireMfa: z.boolean(),
  /** How long a server stays offline before its channels are alerted (0: at once). */
  alertOfflineAfterSeconds: IntRange(0, 86_400),
  branding: z.object({
    primaryColor: Color.nullable(),
    secondaryColor: Color.nullable(),
    accentColor: Color.nullable(),
    logoUrl: HttpUrl.nullable(),
  }),
  notifications: z.object({
    serverOffline: z.boolean(),
    vmActions: z.boolean(),
    memberChanges: z.boolean(),
    email: Email.nullable().optional(),
  }),
  /** Narrows the operator's egress policy for this tenant's servers (null: no narrowing).
   * Only global admins set it; members see it. */
  allowedTargets: z.array(TargetEntry).min(1).max(100).nullable(),
});
export type TenantSettings = z.infer<typeof TenantSettings>;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  maxServers: 50,
  viewerConsole: 'view-only',
  maxConcurrentConsoles: 50,
  consoleIdleTimeoutMinutes: 30,
  healthCheckIntervalSeconds: 30,
  sessionIdleMinutes: 60,
  sessionMaxHours: 12,
  defaultConnectionTimeoutMs: 10_000,
  defaultTlsMode: 'pinned',
  backupStorage: null,
  backupMode: 'snapshot',
  nodeShell: false,
  defaultConsole: { qemu: 'vnc', lxc: 'terminal' },
  consoleSharing: 'view',
  consoleRecording: 'off',
  consoleRecordingForced: false,
  recordingRetentionDays: 90,
  recordingMaskKeys: true,
  requireMfa: false,
  alertOfflineAfterSeconds: 120,
  branding: { primaryColor: null, secondaryColor: null, accentColor: null, logoUrl: null },
  notifications: { serverOffline: true, vmActions: true, memberChanges: true, email: null },
  allowedTargets: null,
};

/** Whether a tenant's consoles are recorded (its own choice, or forced by a global admin). */
export function isRecorded(s: Pick<TenantSettings, 'consoleRecording' | 'consoleRecordingForced'>): boolean {
  return s.consoleRecording === 'all' || s.consoleRecordingForced;
}

/**
 * Settings only global admins may change (the operator's quotas and egress narrowing). Tenant
 * admins see them; their PUT may echo the same value, but a change is refused with 403
 * `settings.quota_forbidden`.
 * Add a key here to make another setting the operator's (the UI disables its input too).
 */
export const GLOBAL_ADMIN_SETTINGS = [
  'maxServers',
  'maxConcurrentConsoles',
  'allowedTargets',
  'consoleRecordingForced',
] as const satisfies readonly (keyof TenantSettings)[];
export type GlobalAdminSetting = (typeof GLOBAL_ADMIN_SETTINGS)[number];

/** PUT body: any subset, nested objects merged field by field. */
export const TenantSettingsPatch = TenantSettings.extend({
  branding: TenantSettings.shape.branding.partial(),
  notifications: TenantSettings.shape.notifications.partial(),
  defaultConsole: TenantSettings.shape.defaultConsole.partial(),
})
  .partial()
  .strict();

export const TenantStats = z.object({
  servers: z.object({ total: z.number(), byStatus: z.record(z.string(), z.number()) }),
  guests: z.object({
    total: z.number(),
    byStatus: z.record(z.string(), z.number()),
    fetchedAt: z.string().nullable(),
  }),
  members: z.number().nullable(),
  activeConsoles: z.number(),
  /** Console recordings stored (for those who see all of the tenant's; else null). */
  recordings: z.object({ count: z.number(), bytes: z.number() }).nullable(),
});

export const Member = model('Member', {
  userId: z.string(),
  email: z.string(),
  fullName: z.string().nullable(),
  role: z.enum(TENANT_ROLES),
  restricted: z.boolean(),
  createdAt: z.string(),
});

export const AddMemberBody = z.object({ email: Email, role: z.enum(TENANT_ROLES) });
/**
 * Tenant admins always get an invitation (the same answer whether or not the e-mail has an
 * account); global admins add an existing user directly (`member`) and invite anyone else.
 */
export const AddMemberResponse = z.object({
  member: Member.nullable(),
  invitation: z
    .object({ url: z.string(), expiresAt: z.string(), email: z.string(), role: z.enum(TENANT_ROLES) })
    .nullable(),
});
/** A tenant's invitation not yet used, revoked or expired (the link itself is never shown again). */
export const PendingInvitation = model('PendingInvitation', {
  id: z.string(),
  email: z.string(),
  role: z.enum(TENANT_ROLES),
  invitedBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type PendingInvitation = z.infer<typeof PendingInvitation>;
export const InvitationParams = TenantParams.extend({ invitationId: Uuid });
export const SetRoleBody = z.object({ role: z.enum(TENANT_ROLES) });
export const MemberParams = TenantParams.extend({ userId: Uuid });

export const GuestAssignment = z.object({
  serverId: Uuid,
  vmid: Vmid,
  permissions: z.array(z.enum(GUEST_PERMISSIONS)).min(1).max(GUEST_PERMISSIONS.length),
});
const AssignmentList = z.array(GuestAssignment).max(5000);
/** A member's guest allowlist. `restricted`: they reach only these guests (none when empty). */
export const Assignments = model('Assignments', { restricted: z.boolean(), assignments: AssignmentList });
/**
 * PUT body. Guests restrict; an empty list keeps the member's restriction as it is (so a
 * restricted member reaches nothing); `restricted: false` (with no guests) lifts it,
 * `restricted: true` with no guests restricts to nothing.
 */
export const AssignmentsBody = z.object({ restricted: z.boolean().optional(), assignments: AssignmentList });
