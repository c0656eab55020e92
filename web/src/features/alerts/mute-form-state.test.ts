import { describe, expect, it } from 'vitest';
import { muteUntil } from './mute-form-state';

const NOW = Date.parse('2026-12-05T10:00:00Z');

describe('when a mute ends', () => {
  it('counts a chosen duration from now', () => {
    expect(muteUntil('1', '', NOW).until).toBe('2026-12-05T11:00:00.000Z');
    expect(muteUntil('168', '', NOW).until).toBe('2026-12-12T10:00:00.000Z');
  });

  it('takes a custom end in the future, at most 30 days ahead', () => {
    const local = (ms: number) => {
      const d = new Date(ms);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    };
    expect(muteUntil('custom', local(NOW + 2 * 3_600_000), NOW).until).toBe('2026-12-05T12:00:00.000Z');
    expect(muteUntil('custom', '', NOW).problem).toBe('Choose when the mute ends.');
    expect(muteUntil('custom', local(NOW - 60_000), NOW).problem).toBe('The end must be in the future.');
    expect(muteUntil('custom', local(NOW + 31 * 86_400_000), NOW).problem).toBe('A mute lasts at most 30 days.');
    expect(muteUntil('custom', 'soon', NOW).problem).toBe('That is not a date and time.');
  });
});
