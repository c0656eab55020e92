// When a mute ends: one of the usual durations from now, or a moment the user picks (the
// browser's local time, as a datetime-local field gives it). The server takes at most 30 days.
import { translate } from '@/i18n/current-intl';
import { durations, problems } from './messages';

const DURATIONS = ['1', '8', '24', '168', 'custom'] as const;
export type MuteDuration = (typeof DURATIONS)[number];

/** The choices, in the app's language. */
export const muteDurations = (): { value: MuteDuration; label: string }[] =>
  DURATIONS.map((value) => ({ value, label: translate(durations[value]) }));

const MAX_MS = 30 * 24 * 3_600_000;

/** The mute's end as an ISO instant, or what is wrong with the choice. */
export function muteUntil(
  choice: MuteDuration,
  custom: string,
  now: number,
): { until: string; problem: null } | { until: null; problem: string } {
  if (choice !== 'custom') return { until: new Date(now + Number(choice) * 3_600_000).toISOString(), problem: null };
  if (!custom) return { until: null, problem: translate(problems.muteEnd) };
  const t = new Date(custom).getTime();
  if (Number.isNaN(t)) return { until: null, problem: translate(problems.notADate) };
  if (t <= now) return { until: null, problem: translate(problems.past) };
  if (t - now > MAX_MS) return { until: null, problem: translate(problems.tooLong) };
  return { until: new Date(t).toISOString(), problem: null };
}
