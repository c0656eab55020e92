// A graphical recording in the browser: noVNC (view-only, scaled to the box) fed by VncPlayback
// from the recording's windows, with play/pause, speed and the timeline.
import RFB from '@novnc/novnc';
import { useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { ErrorAlert } from '@/components/ui/alert';
import { fetchRecordingWindow, type RecordingDetail } from '../api/recordings';
import { m } from '../messages';
import { type PlaybackState, VncPlayback } from '../player/vnc-playback';
import { PlayerControls } from './player-controls';

export function VncPlayer({ tenantId, detail }: { tenantId: string; detail: RecordingDetail }) {
  const screen = useRef<HTMLDivElement>(null);
  const playback = useRef<VncPlayback | null>(null);
  const [state, setState] = useState<PlaybackState>({
    positionMs: 0,
    playing: false,
    loading: true,
    ended: false,
    error: null,
  });

  useEffect(() => {
    const target = screen.current;
    if (!target) return;
    const p = new VncPlayback({
      durationMs: detail.durationMs ?? 0,
      fetchWindow: (q) => fetchRecordingWindow(tenantId, detail.id, q),
      attach: (channel) => {
        target.replaceChildren();
        const rfb = new RFB(target, channel as unknown as WebSocket, { shared: true });
        rfb.viewOnly = true;
        rfb.scaleViewport = true;
        rfb.focusOnClick = false;
        rfb.background = 'rgb(9, 9, 11)';
        return { dispose: () => rfb.disconnect() };
      },
      onProgress: setState,
    });
    playback.current = p;
    void p.seek(0);
    return () => p.dispose();
  }, [tenantId, detail.id, detail.durationMs]);

  const p = playback.current;
  const t = useIntl().formatMessage;
  return (
    <div className="grid gap-3">
      <div
        ref={screen}
        className="relative aspect-video w-full overflow-hidden rounded-md bg-zinc-950"
        data-testid="recording-screen"
        data-position={Math.round(state.positionMs)}
        data-loading={state.loading ? 'true' : 'false'}
      />
      {state.error ? <ErrorAlert error={new Error(state.error)} title={t(m.unplayable)} /> : null}
      <PlayerControls
        detail={detail}
        positionMs={state.positionMs}
        playing={state.playing}
        onSeek={(ms) => void p?.seek(ms)}
        onToggle={() => (state.playing ? p?.pause() : p?.play())}
        onSpeed={(speed) => p?.setSpeed(speed)}
      />
    </div>
  );
}
