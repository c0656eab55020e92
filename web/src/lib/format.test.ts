import { createIntl } from 'react-intl';
import { afterEach, describe, expect, it } from 'vitest';
import { setCurrentIntl } from '@/i18n/current-intl';
import de from '@/i18n/messages/de.json';
import {
  formatBytes,
  formatDateTime,
  formatMs,
  formatPercent,
  formatRelative,
  formatUptime,
  setFormatLocale,
} from './format';

describe('formatting in the app’s language', () => {
  afterEach(() => {
    setFormatLocale('en-US');
    setCurrentIntl();
  });

  it('writes English figures as before', () => {
    setFormatLocale('en-US');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatPercent(0.45)).toBe('45%');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatUptime(3 * 86_400 + 4 * 3600)).toBe('3d 4h');
    expect(formatUptime(4 * 3600 + 5 * 60)).toBe('4h 5m');
    expect(formatRelative(null)).toBe('never');
  });

  it('writes German figures the German way: decimal comma, spaced percent, 24 h clock, words', () => {
    setFormatLocale('de');
    setCurrentIntl(createIntl({ locale: 'de', messages: de }), 'de');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1,5 GiB');
    expect(formatPercent(0.45)).toBe('45\u00a0%');
    expect(formatMs(1234)).toBe('1,2 s');
    expect(formatUptime(3 * 86_400 + 4 * 3600)).toBe('3 T 4h');
    expect(formatDateTime('2026-12-05T15:30:00Z')).toMatch(/05\.12\.2026, \d\d:30/);
    expect(formatRelative(null)).toBe('nie');
    expect(formatRelative(new Date().toISOString())).toBe('gerade eben');
  });
});
