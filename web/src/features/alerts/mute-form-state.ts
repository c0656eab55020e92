// When a mute ends: one of the usual durations from now, or a moment the user picks (the
// browser's local time, as a datetime-local field gives it). The server takes at most 30 days.
export const MUTE_DURATIONS = [
  { value: '1', label: '1 hour' },
  { value: '8', label: '8 hours' },
  { value: '24', label: '24 hours' },
  { value: '168', label: '7 days' },
  { value: 'custom', label: 'Until…' },
] as const;
export type MuteDuration = (typeof MUTE_DURATIONS)[number]['value'];

const MAX_MS = 30 * 24 * 3_600_000;

/** The mute's end as an ISO instant, or what is wrong with the choice. */
export function muteUntil(
  choice: MuteDuration,
  custom: string,
  now: number,
): { until: string; problem: null } | { until: null; problem: string } {
  if (choice !== 'custom') return { until: new Date(now + Number(choice) * 3_600_000).toISOString(), problem: null };
  if (!custom) return { until: null, problem: 'Choose when the mute ends.' };
  const t = new Date(custom).getTime();
  if (Number.isNaN(t)) return { until: null, problem: 'That is not a date and time.' };
  if (t <= now) return { until: null, problem: 'The end must be in the future.' };
  if (t - now > MAX_MS) return { until: null, problem: 'A mute lasts at most 30 days.' };
  return { until: new Date(t).toISOString(), problem: null };
}
