// The player's timeline: a slider over the recording's length with marks where the user typed or
// clicked and where the audit log saw something happen to the guest (power actions, consoles
// opening and closing). Clicking a mark seeks there.

import { useIntl } from 'react-intl';
import { actionLabel } from '@/features/audit/describe-event';
import type { RecordingDetail } from '../api/recordings';
import { eventAt, inputAt, m, markAt } from '../messages';
import { formatClock } from './format-clock';

export function RecordingTimeline({
  detail,
  positionMs,
  onSeek,
}: {
  detail: RecordingDetail;
  positionMs: number;
  onSeek(ms: number): void;
}) {
  const t = useIntl().formatMessage;
  const duration = Math.max(1, detail.durationMs ?? 0);
  const left = (ms: number) => `${Math.min(100, (ms / duration) * 100)}%`;
  const label = actionLabel;
  return (
    <div className="grid gap-1">
      <input
        type="range"
        aria-label={t(m.position)}
        min={0}
        max={duration}
        step={100}
        value={Math.min(positionMs, duration)}
        onChange={(e) => onSeek(Number(e.target.value))}
        className="w-full accent-brand"
        data-testid="recording-seek"
      />
      <div className="relative h-4">
        {detail.input.map((mark) => (
          <button
            type="button"
            key={`i${mark.atMs}`}
            title={t(markAt, {
              time: formatClock(mark.atMs),
              what: t(mark.keys && mark.clicks ? m.typingAndClicks : mark.keys ? m.typing : m.clicks),
            })}
            aria-label={t(inputAt, { time: formatClock(mark.atMs) })}
            onClick={() => onSeek(mark.atMs)}
            className={`absolute top-0 h-2 w-1 -translate-x-1/2 rounded-sm ${mark.keys ? 'bg-sky-500' : 'bg-amber-500'}`}
            style={{ left: left(mark.atMs) }}
          />
        ))}
        {detail.events.map((e, i) => (
          <button
            type="button"
            // biome-ignore lint/suspicious/noArrayIndexKey: events keep their order for the page's life
            key={`e${i}`}
            title={t(markAt, {
              time: formatClock(e.atMs),
              what: `${label(e.action)}${e.actorEmail ? ` (${e.actorEmail})` : ''}`,
            })}
            aria-label={t(eventAt, { what: label(e.action), time: formatClock(e.atMs) })}
            onClick={() => onSeek(e.atMs)}
            className={`absolute top-2 size-2 -translate-x-1/2 rounded-full ${e.outcome === 'success' ? 'bg-rose-500' : 'bg-muted-foreground'}`}
            style={{ left: left(e.atMs) }}
            data-testid="recording-event-mark"
          />
        ))}
      </div>
    </div>
  );
}
