// Small schemas reused across the API.
import { z } from 'zod';

// No `.transform()` in shared schemas: responses are encoded through the same schemas, and zod
// can only encode normalisations (`toLowerCase`, `trim`), not arbitrary transforms.
export const Uuid = z.uuid().toLowerCase();
export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
/** http(s) only: `javascript:` and `data:` URLs must never become an <img src> or a link. */
export const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048);
export const Password = z.string().min(12, 'must be at least 12 characters').max(256);
export const NonEmpty = (max: number) => z.string().trim().min(1).max(max);

export const Ok = z.object({ ok: z.literal(true) });

export const TenantParams = z.object({ tenantId: Uuid });
