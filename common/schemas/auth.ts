import { z } from 'zod';
import { LOCALES } from '../locales';
import { GLOBAL_ROLES, TENANT_ROLES, TOKEN_SCOPES } from '../permissions';
import { Email, model, NonEmpty, Password } from './shared';

export const User = model('User', {
  id: z.string(),
  email: z.string(),
  fullName: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  globalRole: z.enum(GLOBAL_ROLES),
  disabled: z.boolean(),
  createdAt: z.string(),
  /** The web app's language the user chose; null: the browser's. */
  locale: z.enum(LOCALES).nullable(),
});
export type User = z.infer<typeof User>;

export const MeTenant = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: z.enum(TENANT_ROLES).nullable(),
  isActive: z.boolean(),
});

export const Me = model('Me', {
  user: User,
  tenants: z.array(MeTenant),
  csrfToken: z.string().nullable(),
  can: z.object({ manageTenants: z.boolean(), manageUsers: z.boolean(), globalAudit: z.boolean() }),
  signupOpen: z.boolean(),
  /** Whether the user has a second factor, and whether this session must enrol one first. */
  security: z.object({
    secondFactor: z.boolean(),
    mustEnrol: z.boolean(),
    /** When a global admin last reset the user's second factors (shown to them), or null. */
    factorsResetAt: z.string().nullable(),
    /** One of the user's tenants lets in only members with a second factor (`requireMfa`). */
    tenantRequiresMfa: z.boolean(),
  }),
});
export type Me = z.infer<typeof Me>;

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(256) });
/** A new session: the user and the CSRF token for later writes. */
export const SessionStarted = z.object({ user: User, csrfToken: z.string() });
/** The password was right and the account has a second factor: `POST /api/auth/mfa` next. */
export const SecondFactorNeeded = z.object({
  mfaRequired: z.literal(true),
  methods: z.array(z.enum(['totp', 'recovery', 'passkey'])),
});
export const LoginResponse = z.union([SessionStarted, SecondFactorNeeded]).meta({ id: 'LoginResponse' });

/** The sign-in's second step: a 6-digit code from the app, or one of the recovery codes. */
export const SecondFactorBody = z.union([
  z.object({ code: z.string().regex(/^\d{6}$/, 'must be the 6 digits the app shows') }),
  z.object({ recoveryCode: z.string().min(8).max(40) }),
  /** A passkey's answer (the browser's AuthenticationResponseJSON) to /api/auth/mfa/passkey-options. */
  z.object({ passkey: z.looseObject({ id: z.string().max(2000), type: z.literal('public-key') }) }),
]);
export const TotpCodeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be the 6 digits the app shows') });
export const RemoveTotpBody = TotpCodeBody.extend({ password: z.string().min(1).max(256) });
export const TotpEnrolment = z.object({
  /** Base32, for typing into an app by hand; shown only now. */
  secret: z.string(),
  /** The `otpauth://` URI the QR code holds. */
  otpauthUrl: z.string(),
});
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export const SecondFactorStatus = z.object({ totp: z.boolean(), recoveryCodesLeft: z.number(), passkeys: z.number() });

/** One of the caller's sessions ("where you are signed in"). */
export const AccountSession = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export const AccountSessions = z.object({ sessions: z.array(AccountSession) });

export const SignupBody = z.object({ email: Email, password: Password, fullName: NonEmpty(200).optional() });

export const SetupBody = z.object({
  token: z.string().min(10).max(200),
  email: Email,
  password: Password,
  fullName: NonEmpty(200).optional(),
});

export const InvitationInfo = z.object({
  email: z.string().nullable(),
  tenantName: z.string().nullable(),
  role: z.enum(TENANT_ROLES).nullable(),
  expiresAt: z.string(),
});
export const AcceptInvitationBody = z.object({ password: Password, fullName: NonEmpty(200).optional() });
/** What a signed-in user joined by accepting an invitation (`POST …/invitations/:token/join`). */
export const JoinedInvitation = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  role: z.enum(TENANT_ROLES),
});

export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export const CreateTokenBody = z.object({
  name: NonEmpty(100),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Omitted: `read` only (DEFAULT_TOKEN_SCOPES). */
  scopes: z
    .array(z.enum(TOKEN_SCOPES))
    .min(1)
    .max(TOKEN_SCOPES.length * 2)
    .optional(),
});
export const CreatedToken = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  expiresAt: z.string().nullable(),
});

export const AccountPatch = z
  .object({
    fullName: NonEmpty(200).nullable().optional(),
    avatarUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .max(2048)
      .nullable()
      .optional(),
    currentPassword: z.string().max(256).optional(),
    newPassword: Password.optional(),
    /** A password change revokes the user's API tokens unless this is true. */
    keepTokens: z.boolean().optional(),
    locale: z.enum(LOCALES).nullable().optional(),
  })
  .refine((v) => v.newPassword === undefined || v.currentPassword !== undefined, {
    message: 'currentPassword is required to set a new password',
    path: ['currentPassword'],
  });

/** What a signed-out page needs to know about this server. */
export const AuthConfig = model('AuthConfig', { signupOpen: z.boolean() });
