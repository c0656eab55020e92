// Applies a tenant's branding colours as CSS variables on <html> while its pages are open, so
// portals (dialogs, menus) pick them up too; the seed's orange comes back on leaving.
import type { TenantSettings } from '@common/schemas/tenants';
import { useEffect } from 'react';

/** Black or white text, whichever reads better on the colour (WCAG relative luminance). */
export function foregroundFor(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  return l > 0.4 ? '#000000' : '#ffffff';
}

const VALID = /^#[0-9a-fA-F]{6}$/;

export function useTenantBranding(branding: TenantSettings['branding'] | undefined): void {
  const primary = branding?.primaryColor ?? null;
  const secondary = branding?.secondaryColor ?? null;
  const accent = branding?.accentColor ?? null;
  useEffect(() => {
    const root = document.documentElement.style;
    const set: Array<[string, string]> = [];
    if (primary && VALID.test(primary)) {
      set.push(['--brand', primary], ['--ring', primary], ['--brand-foreground', foregroundFor(primary)]);
    }
    if (secondary && VALID.test(secondary)) set.push(['--brand-secondary', secondary]);
    if (accent && VALID.test(accent)) set.push(['--brand-accent', accent]);
    for (const [k, v] of set) root.setProperty(k, v);
    return () => {
      for (const [k] of set) root.removeProperty(k);
    };
  }, [primary, secondary, accent]);
}
