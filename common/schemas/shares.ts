// Console share links (DESIGN.md §9 "Console sharing"): a time-limited link to one guest's
// console for someone without an account. The link holds a 256-bit token, stored hashed.
import { z } from 'zod';
import { GuestParams, IntRange, model, NonEmpty, Uuid } from './shared';

export const SHARE_MODES = ['view', 'control'] as const;
export type ShareMode = (typeof SHARE_MODES)[number];

/** 5 minutes to 7 days. */
export const SHARE_MIN_MINUTES = 5;
export const SHARE_MAX_MINUTES = 7 * 24 * 60;
/** Wrong PINs before a link locks for good. */
export const SHARE_PIN_FAILURES = 10;

/** A share's token in a URL: 43 base64url characters (32 random bytes). */
export const ShareToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a share link');
export const SharePin = z.string().regex(/^\d{6,12}$/, 'must be 6 to 12 digits');

export const CreateShareBody = z.object({
  expiresInMinutes: IntRange(SHARE_MIN_MINUTES, SHARE_MAX_MINUTES).default(60),
  mode: z.enum(SHARE_MODES),
  maxUses: IntRange(1, 1000).optional(),
  pin: SharePin.optional(),
  /** Who it is for ("ACME support, ticket 4711"): shown to the tenant, never to the recipient. */
  note: NonEmpty(200).optional(),
});
export type CreateShareBody = z.infer<typeof CreateShareBody>;

export const ShareCreated = model('ShareCreated', {
  id: z.string(),
  /** The link, shown once: `<public URL>/share/<token>`. */
  url: z.string(),
  expiresAt: z.string(),
  mode: z.enum(SHARE_MODES),
});
export type ShareCreated = z.infer<typeof ShareCreated>;

/** Someone on a share's console now. */
export const ShareWatcher = z.object({ consoleId: z.string(), ip: z.string().nullable(), openedAt: z.string() });

export const Share = model('Share', {
  id: z.string(),
  serverId: z.string(),
  vmid: z.number(),
  mode: z.enum(SHARE_MODES),
  /** The console it opens: graphical (`vnc`) or text (`terminal`). */
  kind: z.enum(['vnc', 'terminal']),
  note: z.string().nullable(),
  createdBy: z.object({ id: z.string(), email: z.string().nullable(), fullName: z.string().nullable() }),
  createdAt: z.string(),
  expiresAt: z.string(),
  maxUses: z.number().nullable(),
  uses: z.number(),
  pinRequired: z.boolean(),
  locked: z.boolean(),
  watching: z.array(ShareWatcher),
});
export type Share = z.infer<typeof Share>;

export const ShareList = z.object({ shares: z.array(Share) });

export const ShareParams = GuestParams.extend({ shareId: Uuid });
export const ShareTokenParams = z.object({ token: ShareToken });

/** What the link's page shows before the console: enough to know what one is looking at. */
export const PublicShare = model('PublicShare', {
  tenant: z.object({
    name: z.string(),
    logoUrl: z.string().nullable(),
    primaryColor: z.string().nullable(),
  }),
  guest: z.object({ name: z.string().nullable(), vmid: z.number(), type: z.enum(['qemu', 'lxc']) }),
  kind: z.enum(['vnc', 'terminal']),
  mode: z.enum(SHARE_MODES),
  expiresAt: z.string(),
  pinRequired: z.boolean(),
});
export type PublicShare = z.infer<typeof PublicShare>;

export const ShareConsoleBody = z.object({ pin: z.string().max(40).optional() });
