// Small schemas reused across the API.
import { z } from 'zod';

// No `.transform()` in shared schemas: responses are encoded through the same schemas, and zod
// can only encode normalisations (`toLowerCase`, `trim`), not arbitrary transforms.
export const Uuid = z.uuid().toLowerCase();
/** The one id parser for code outside a route schema (the policy): the canonical lowercase form, or null. */
export function parseUuid(value: unknown): string | null {
  const parsed = Uuid.safeParse(value);
  return parsed.success ? parsed.data : null;
}
export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
/** http(s) only: `javascript:` and `data:` URLs must never become an <img src> or a link. */
export const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048);
export const Password = z.string().min(12, 'must be at least 12 characters').max(256);
export const NonEmpty = (max: number) => z.string().trim().min(1).max(max);
/** A whole number from `min` to `max` in a JSON body (limits, counts, durations). */
export const IntRange = (min: number, max: number) => z.number().int().min(min).max(max);
/** Plain decimal digits, no sign, no leading zero, no exponent, no whitespace. */
const DECIMAL_TEXT = /^(0|[1-9][0-9]{0,15})$/;
/** A whole number from `min` to `max` in a query string, spelled one way only (plain decimal
 * digits: not `1e2`, `0x10`, ` 10` or `010`, which a number coercion would take). Query schemas are
 * never encoded into responses, so the transform is safe. */
export const QueryIntOptional = (min: number, max: number) =>
  z
    .string()
    .regex(DECIMAL_TEXT, `must be a whole number ${min}–${max} in plain decimal digits`)
    .transform((text) => Number(text))
    .pipe(z.number().int().min(min).max(max))
    .optional();
/** A whole number from `min` to `max` in a query string (as QueryIntOptional), `fallback` when absent. */
export const QueryInt = (min: number, max: number, fallback: number) =>
  QueryIntOptional(min, max).transform((value) => value ?? fallback);

// --- vmids ---------------------------------------------------------------------------------------
// One spelling per guest: a vmid read as anything but its canonical decimal text (`0x66`, `1.02e2`,
// `102.0`, `+102`, ` 102`, `0102`) once let the policy and the route disagree about which guest
// was meant. Every vmid from outside (path, body, query, a UPID) goes through parseVmid.

/** Proxmox's vmid range (`pve-vmid`). */
export const VMID_MIN = 100;
export const VMID_MAX = 999_999_999;
/** Decimal digits only, no sign, no leading zero, no whitespace: exactly 100–999999999. */
const VMID_TEXT = /^[1-9][0-9]{2,8}$/;
export const VMID_MESSAGE = 'must be a vmid: an integer 100–999999999 in plain decimal digits';

/** The one vmid parser: the number for a canonical vmid (text or JSON integer), else null. */
export function parseVmid(value: unknown): number | null {
  if (typeof value === 'string') return VMID_TEXT.test(value) ? Number(value) : null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= VMID_MIN && value <= VMID_MAX) return value;
  return null;
}

/** A vmid in a path or query string (params are never encoded into responses, so the transform is safe). */
export const VmidParam = z
  .string()
  .regex(VMID_TEXT, VMID_MESSAGE)
  .transform((text) => Number(text));
/** A vmid in a JSON body or response: an integer, never a string. */
export const Vmid = z.number().int(VMID_MESSAGE).min(VMID_MIN, VMID_MESSAGE).max(VMID_MAX, VMID_MESSAGE);

export const Ok = z.object({ ok: z.literal(true) });

// Path parameters, from the tenant down: each level adds its id to the one above.
export const TenantParams = z.object({ tenantId: Uuid });
export const ServerParams = TenantParams.extend({ serverId: Uuid });
export const GuestParams = ServerParams.extend({ vmid: VmidParam });

/** A named API model: an object schema registered under `id`, its name in the OpenAPI document. */
export function model<S extends z.core.$ZodLooseShape>(id: string, shape: S) {
  return z.object(shape).meta({ id });
}
