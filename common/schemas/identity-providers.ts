// Sign-in providers global admins manage (/api/admin/identity-providers): what goes in (a client
// secret, sealed at once) and what comes back (never the secret, only whether there is one).
import { z } from 'zod';
import { model } from './shared';

export const IdentityProviderId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'lowercase letters, digits and -');

export const IdentityProviderBody = z.object({
  name: z.string().trim().min(1).max(60),
  issuer: z.url().max(500),
  clientId: z.string().min(1).max(300),
  /** Omitted: the stored secret stays; null: none (a public client). */
  clientSecret: z.string().min(1).max(2000).nullable().optional(),
  scopes: z.string().max(500).optional(),
  groupsClaim: z.string().max(100).optional(),
  /** As NEXUS_OIDC_ROLE_MAP. */
  roleMap: z.string().max(5000).optional(),
  allowLinking: z.boolean().optional(),
  trustMfa: z.boolean().optional(),
});

export const IdentityProviderView = model('IdentityProvider', {
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  scopes: z.string(),
  groupsClaim: z.string(),
  roleMap: z.string(),
  allowLinking: z.boolean(),
  trustMfa: z.boolean(),
  /** From the environment (NEXUS_OIDC_*): read-only here. */
  fromEnvironment: z.boolean(),
});
export type IdentityProviderView = z.infer<typeof IdentityProviderView>;
