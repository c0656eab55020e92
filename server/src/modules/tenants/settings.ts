// Tenant settings: stored as JSON, read through the schema with defaults, merged on PUT.
import { isDeepStrictEqual } from 'node:util';
import {
  DEFAULT_TENANT_SETTINGS,
  GLOBAL_ADMIN_SETTINGS,
  type GlobalAdminSetting,
  TenantSettings,
} from '@common/schemas/tenants';

// The list lives in common/ because the settings page disables the same inputs.
export { GLOBAL_ADMIN_SETTINGS };

export function parseSettings(json: string | null | undefined): TenantSettings {
  if (!json) return structuredClone(DEFAULT_TENANT_SETTINGS);
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return structuredClone(DEFAULT_TENANT_SETTINGS);
  }
  const merged = mergeSettings(DEFAULT_TENANT_SETTINGS, (stored ?? {}) as Partial<TenantSettings>);
  const parsed = TenantSettings.safeParse(merged);
  return parsed.success ? parsed.data : structuredClone(DEFAULT_TENANT_SETTINGS);
}

type Patch = {
  [K in keyof TenantSettings]?: TenantSettings[K] extends object ? Partial<TenantSettings[K]> : TenantSettings[K];
};

/** Field-by-field merge; nested objects (branding, notifications) merge one level down. */
export function mergeSettings(base: TenantSettings, patch: Patch): TenantSettings {
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = out[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object') {
      out[key] = { ...(current as object), ...value };
    } else {
      out[key] = value;
    }
  }
  return out as TenantSettings;
}

/** The global-admin-only settings a PUT would change (echoing the current value is no change). */
export function globalAdminOnlyChanges(current: TenantSettings, patch: Patch): GlobalAdminSetting[] {
  return GLOBAL_ADMIN_SETTINGS.filter(
    (key) => patch[key] !== undefined && !isDeepStrictEqual(patch[key], current[key]),
  );
}
