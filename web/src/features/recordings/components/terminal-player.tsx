// A text console's recording: xterm.js fed by TerminalPlayback from the asciicast v2 file, with
// play/pause, speed and the timeline.
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { ErrorAlert } from '@/components/ui/alert';
import { fetchAsciicast, type RecordingDetail } from '../api/recordings';
import { m } from '../messages';
import { parseCast, TerminalPlayback } from '../player/terminal-playback';
import { PlayerControls } from './player-controls';

export function TerminalPlayer({ tenantId, detail }: { tenantId: string; detail: RecordingDetail }) {
  const box = useRef<HTMLDivElement>(null);
  const playback = useRef<TerminalPlayback | null>(null);
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const term = new Terminal({ disableStdin: true, convertEol: false, fontSize: 13, scrollback: 2000 });
    term.open(el);
    let p: TerminalPlayback | null = null;
    let live = true;
    fetchAsciicast(tenantId, detail.id)
      .then((text) => {
        if (!live) return;
        p = new TerminalPlayback(
          parseCast(text),
          { reset: () => term.reset(), write: (t) => term.write(t), resize: (c, r) => term.resize(c, r) },
          detail.durationMs ?? 0,
          (ms, on) => {
            setPosition(ms);
            setPlaying(on);
          },
        );
        playback.current = p;
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
      p?.dispose();
      term.dispose();
    };
  }, [tenantId, detail.id, detail.durationMs]);

  const p = playback.current;
  const t = useIntl().formatMessage;
  return (
    <div className="grid gap-3">
      <div ref={box} className="overflow-auto rounded-md bg-black p-2" data-testid="recording-terminal" />
      {error ? <ErrorAlert error={new Error(error)} title={t(m.unplayable)} /> : null}
      <PlayerControls
        detail={detail}
        positionMs={position}
        playing={playing}
        onSeek={(ms) => p?.seek(ms)}
        onToggle={() => (playing ? p?.pause() : p?.play())}
        onSpeed={(speed) => {
          if (p) p.speed = speed;
        }}
      />
    </div>
  );
}
