// Applies a tenant's branding colours as CSS variables on <html> while its pages are open, so
// portals (dialogs, menus) pick them up too; the seed's orange comes back on leaving. Whatever
// colour a tenant picks, text stays readable (WCAG AA): the text on a brand fill is black or
// white, whichever contrasts more, and brand-coloured text uses the colour darkened (light theme)
// or lightened (dark theme) until it reaches 4.5:1 on the page and on its own tint.
import type { TenantSettings } from '@common/schemas/tenants';
import { useEffect } from 'react';

type Rgb = [number, number, number];

const parse = (hex: string): Rgb => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const toHex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(parse(a)), luminance(parse(b))].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white text, whichever contrasts more with the colour. */
export function foregroundFor(hex: string): string {
  return contrast(hex, '#000000') >= contrast(hex, '#ffffff') ? '#18181b' : '#ffffff';
}

// The pages' backgrounds (index.css) and the AA target with a little margin for the 15 % tints
// that badges put behind brand text.
const LIGHT_BG = '#ffffff';
const DARK_BG = '#16161a';
const TEXT_CONTRAST = 5.2;

/** The colour moved towards black (or white) until it reads on `background`. */
function readableOn(hex: string, background: string): string {
  const target: Rgb = luminance(parse(background)) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  let c = parse(hex);
  for (let i = 0; i < 60 && contrast(toHex(c), background) < TEXT_CONTRAST; i++) {
    c = c.map((v, k) => v + ((target[k] as number) - v) * 0.05) as Rgb;
  }
  return toHex(c);
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
      set.push(
        ['--brand', primary],
        ['--ring', primary],
        ['--brand-foreground', foregroundFor(primary)],
        ['--brand-text-light', readableOn(primary, LIGHT_BG)],
        ['--brand-text-dark', readableOn(primary, DARK_BG)],
      );
    }
    if (secondary && VALID.test(secondary)) set.push(['--brand-secondary', secondary]);
    if (accent && VALID.test(accent)) set.push(['--brand-accent', accent]);
    for (const [k, v] of set) root.setProperty(k, v);
    return () => {
      for (const [k] of set) root.removeProperty(k);
    };
  }, [primary, secondary, accent]);
}
