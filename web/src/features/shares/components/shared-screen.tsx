// A share link's graphical console: noVNC filling the window under a slim bar (the guest, the
// connection, view-only, Ctrl+Alt+Del, fullscreen, reconnect) and the reason when it ends. The
// recipient has nothing else of Nexus, so nothing here links into it.

import type { ConsoleTicket } from '@common/schemas/consoles';
import { Keyboard, RefreshCw } from 'lucide-react';
import { useRef } from 'react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/misc';
import { StatusDot } from '@/components/ui/status-dot';
import { ConsoleScreen } from '@/features/console/components/console-screen';
import { FullscreenButton } from '@/features/console/components/fullscreen-button';
import { SessionBadges } from '@/features/console/components/session-badges';
import { useVncSession } from '@/features/console/hooks/use-vnc-session';
import { m } from '@/features/console/messages';

export function SharedScreen({
  request,
  sessionKey,
  bar,
}: {
  request: () => Promise<ConsoleTicket>;
  sessionKey: string;
  /** The link's facts (tenant, guest, countdown), left in the bar. */
  bar: React.ReactNode;
}) {
  const screenRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const session = useVncSession({ request, sessionKey, screen: screenRef, scaling: 'fit' });
  const connected = session.phase === 'connected';
  const t = useIntl().formatMessage;
  return (
    <div ref={rootRef} className="flex h-dvh flex-col bg-[rgb(12,12,15)] text-neutral-100">
      <header className="flex flex-wrap items-center gap-2 border-b border-white/10 bg-neutral-900 px-3 py-1.5 text-sm">
        {bar}
        <span
          className="inline-flex items-center gap-1.5 text-xs text-neutral-300"
          role="status"
          data-testid="console-status"
          data-phase={session.phase}
        >
          <StatusDot status={connected ? 'online' : session.phase === 'closed' ? 'offline' : 'degraded'} />
          {t(connected ? m.connected : session.phase === 'closed' ? m.disconnected : m.connecting)}
        </span>
        <SessionBadges viewOnly={session.viewOnly} recorded={session.recorded} />
        <span className="ml-auto flex gap-0.5 [&_button]:text-neutral-200 [&_button:hover]:bg-white/10">
          <Button
            variant="ghost"
            size="sm"
            disabled={!connected || session.viewOnly}
            onClick={() => session.sendCtrlAltDel()}
          >
            <Keyboard /> {t(m.cad)}
          </Button>
          <FullscreenButton frame={rootRef} />
        </span>
      </header>
      <ConsoleScreen
        screenRef={screenRef}
        connected={connected}
        overlay={
          <div className="absolute inset-0 flex items-center justify-center bg-black/60 p-4">
            <div
              className="grid max-w-md gap-3 rounded-xl border border-white/10 bg-neutral-900 p-5 text-center shadow-xl"
              role="alert"
            >
              {session.phase === 'closed' || session.phase === 'waiting' ? (
                <>
                  <p className="font-medium" data-testid="console-close-title">
                    {session.close?.title ?? t(m.disconnected)}
                  </p>
                  {session.close?.detail ? <p className="text-sm text-neutral-400">{session.close.detail}</p> : null}
                  {session.close?.retry !== false ? (
                    <Button onClick={session.reconnect}>
                      <RefreshCw /> {t(m.reconnect)}
                    </Button>
                  ) : null}
                </>
              ) : (
                <p className="flex items-center justify-center gap-2">
                  <Spinner className="text-neutral-300" /> {t(m.connectingConsole)}
                </p>
              )}
            </div>
          </div>
        }
      />
    </div>
  );
}
