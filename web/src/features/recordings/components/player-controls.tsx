// What both players show under the picture: the timeline, play/pause, the clock and the speed.
import { Pause, Play } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { Segmented } from '@/components/ui/segmented';
import type { RecordingDetail } from '../api/recordings';
import { m } from '../messages';
import { formatClock } from './format-clock';
import { RecordingTimeline } from './recording-timeline';

const SPEEDS = ['1', '2', '4', '8', '16'] as const;

export function PlayerControls({
  detail,
  positionMs,
  playing,
  onSeek,
  onToggle,
  onSpeed,
}: {
  detail: RecordingDetail;
  positionMs: number;
  playing: boolean;
  onSeek(ms: number): void;
  onToggle(): void;
  onSpeed(speed: number): void;
}) {
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>('1');
  const t = useIntl().formatMessage;
  return (
    <>
      <RecordingTimeline detail={detail} positionMs={positionMs} onSeek={onSeek} />
      <div className="flex flex-wrap items-center gap-3">
        <Button size="sm" onClick={onToggle} data-testid="recording-play">
          {playing ? <Pause /> : <Play />} {t(playing ? m.pause : m.play)}
        </Button>
        <span className="font-mono text-sm tabular-nums" data-testid="recording-clock">
          {formatClock(positionMs)} / {formatClock(detail.durationMs ?? 0)}
        </span>
        <Segmented
          label={t(m.speed)}
          value={speed}
          options={SPEEDS.map((s) => ({ value: s, label: `${s}×` }))}
          onChange={(v) => {
            setSpeed(v);
            onSpeed(Number(v));
          }}
        />
      </div>
    </>
  );
}
