// Formatting of numbers and times for display, in the app's language (Intl: decimal separators,
// the percent sign's spacing, unit abbreviations, the 24 h clock). Every input may be missing:
// Proxmox leaves figures out for guests on offline nodes.
import { defineMessages } from 'react-intl';
import { translate } from '@/i18n/current-intl';

const words = defineMessages({
  never: { id: 'format.never', defaultMessage: 'never' },
  justNow: { id: 'format.justNow', defaultMessage: 'just now' },
});

// The app's formatting locale (set by the i18n provider); undefined: the browser's. Formatters
// follow it; the few words come from the current language (current-intl.ts).
let formatLocale: string | undefined;
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

export function setFormatLocale(locale: string): void {
  formatLocale = locale;
  formatters.clear();
}

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f as T;
}

const decimal = (digits: number) =>
  cached(
    `decimal${digits}`,
    () => new Intl.NumberFormat(formatLocale, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
  );

const narrowUnit = (unit: 'day' | 'hour' | 'minute') =>
  cached(`unit-${unit}`, () => new Intl.NumberFormat(formatLocale, { style: 'unit', unit, unitDisplay: 'narrow' }));

export function formatBytes(n: number | null | undefined, digits = 1): string {
  if (n == null || !Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${n < 0 ? '-' : ''}${decimal(i === 0 ? 0 : digits).format(v)} ${units[i]}`;
}

export function formatPercent(fraction: number | null | undefined, digits = 0): string {
  if (fraction == null || !Number.isFinite(fraction)) return '–';
  return cached(
    `percent${digits}`,
    () =>
      new Intl.NumberFormat(formatLocale, {
        style: 'percent',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  ).format(fraction);
}

export function ratio(used: number | null | undefined, max: number | null | undefined): number | null {
  if (used == null || max == null || !Number.isFinite(used) || !Number.isFinite(max) || max <= 0) return null;
  return Math.min(1, Math.max(0, used / max));
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${decimal(0).format(Math.round(ms))} ms`;
  return `${decimal(1).format(ms / 1000)} s`;
}

export function formatUptime(seconds: number | null | undefined): string {
  if (!seconds || seconds <= 0) return '–';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const [day, hour, minute] = [narrowUnit('day'), narrowUnit('hour'), narrowUnit('minute')];
  if (d > 0) return `${day.format(d)} ${hour.format(h)}`;
  if (h > 0) return `${hour.format(h)} ${minute.format(m)}`;
  return minute.format(m);
}

const dateFormat = (key: string, options: Intl.DateTimeFormatOptions) =>
  cached(key, () => new Intl.DateTimeFormat(formatLocale, options));

const timeFmt = { format: (d: Date) => dateFormat('time', { hour: '2-digit', minute: '2-digit' }).format(d) };
const dateTimeFmt = {
  format: (d: Date) => dateFormat('dateTime', { dateStyle: 'medium', timeStyle: 'short' }).format(d),
};

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : timeFmt.format(d);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : dateTimeFmt.format(d);
}

/** "3 min ago", "in 2 h": coarse on purpose, re-rendered by the next refetch. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return translate(words.never);
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '–';
  const diff = Math.round((t - now) / 1000);
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(formatLocale, { numeric: 'auto', style: 'short' });
  if (abs < 45) return translate(words.justNow);
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86_400), 'day');
}
