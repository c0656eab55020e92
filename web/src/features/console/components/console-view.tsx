// A guest's console filling the window: noVNC on the screen, a toolbar (status, view-only badge,
// who else is here, Ctrl+Alt+Del, paste, scaling, fullscreen) and an honest message for every
// way the console can end.
import { ArrowLeft, Keyboard, RefreshCw, Unplug } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type IntlShape, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { StatusDot } from '@/components/ui/status-dot';
import { toast } from '@/components/ui/toast';
import { SessionBadges } from '@/features/console/components/session-badges';
import { useVms } from '@/features/vms/api/get-vms';
import { guestLabel } from '@/features/vms/components/guest-actions';
import { createConsole } from '../api/create-console';
import { useCountdown } from '../hooks/use-countdown';
import { useStoredChoice } from '../hooks/use-stored-choice';
import { type Phase, useVncSession } from '../hooks/use-vnc-session';
import { documentTitle, guestFallback, m, reconnectingIn, typing } from '../messages';
import { ConsoleOverlay } from './console-overlay';
import { ConsoleScreen } from './console-screen';
import { ConsoleViewers } from './console-viewers';
import { FullscreenButton } from './fullscreen-button';
import { type PasteMode, PastePanel } from './paste-panel';
import { ScalingMenu } from './scaling-menu';

const SCALINGS = ['fit', 'native', 'remote'] as const;
const PASTE_MODES = ['clipboard', 'type'] as const;

function statusOf(
  phase: Phase,
  countdown: number | null,
  t: IntlShape['formatMessage'],
): { dot: string; text: string } {
  if (phase === 'connected') return { dot: 'online', text: t(m.connected) };
  if (phase === 'waiting')
    return {
      dot: 'degraded',
      text: countdown !== null ? t(reconnectingIn, { seconds: countdown }) : t(m.reconnectingSoon),
    };
  if (phase === 'closed') return { dot: 'offline', text: t(m.disconnected) };
  return { dot: 'degraded', text: t(m.connecting) };
}

export function ConsoleView({ tenantId, serverId, vmid }: { tenantId: string; serverId: string; vmid: number }) {
  const screenRef = useRef<HTMLDivElement>(null);
  const t = useIntl().formatMessage;
  const rootRef = useRef<HTMLDivElement>(null);
  const [scaling, setScaling] = useStoredChoice('nexus-console-scaling', SCALINGS, 'fit');
  const [pasteMode, setPasteMode] = useStoredChoice<PasteMode>('nexus-paste-mode', PASTE_MODES, 'clipboard');
  const [pasteOpen, setPasteOpen] = useState(false);
  const request = useCallback(() => createConsole(tenantId, serverId, vmid), [tenantId, serverId, vmid]);
  const session = useVncSession({
    request,
    sessionKey: `${tenantId}/${serverId}/${vmid}`,
    screen: screenRef,
    scaling,
  });
  const vms = useVms(tenantId);
  const guest = vms.data?.vms.find((g) => g.serverId === serverId && g.vmid === vmid);
  const name = session.desktopName ?? (guest ? guestLabel(guest, t) : t(guestFallback, { vmid }));
  const countdown = useCountdown(session.retryAt);
  const connected = session.phase === 'connected';
  const canInput = connected && !session.viewOnly;

  useEffect(() => {
    document.title = t(documentTitle, { name });
    return () => {
      document.title = 'Nexus';
    };
  }, [name, t]);

  const paste = useCallback(
    (text: string, mode: PasteMode) => {
      // The broker accepts clipboard messages up to 1 MiB; a bigger one would end the console.
      if (new TextEncoder().encode(text).length > 1024 * 1024) {
        toast({ title: t(m.tooMuch) });
        return;
      }
      if (mode === 'type') void session.typeText(text);
      else session.pasteClipboard(text);
      toast({ title: mode === 'type' ? t(typing, { count: text.length }) : t(m.sentToClipboard) });
      session.focus();
    },
    [session, t],
  );

  // Ctrl+Shift+V pastes the local clipboard; captured before noVNC's keyboard handler sees it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey && e.shiftKey && (e.key === 'V' || e.key === 'v'))) return;
      e.preventDefault();
      e.stopPropagation();
      if (!canInput) return;
      const read = navigator.clipboard?.readText?.bind(navigator.clipboard);
      if (!read) {
        setPasteOpen(true);
        return;
      }
      read()
        .then((text) => (text ? paste(text, pasteMode) : setPasteOpen(true)))
        .catch(() => setPasteOpen(true));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [canInput, paste, pasteMode]);

  const status = statusOf(session.phase, countdown, t);

  return (
    <div ref={rootRef} className="flex h-full flex-col bg-[rgb(12,12,15)] text-neutral-100">
      <header className="flex flex-wrap items-center gap-1 border-b border-white/10 bg-neutral-900 px-2 py-1.5 text-sm sm:gap-2 sm:px-3">
        <Button asChild variant="ghost" size="sm" className="text-neutral-200 hover:bg-white/10 hover:text-white">
          <Link to={`/tenants/${tenantId}/servers/${serverId}/vms/${vmid}`} aria-label={t(m.back)}>
            <ArrowLeft />
          </Link>
        </Button>
        <h1 className="min-w-0 truncate font-medium">{name}</h1>
        <span
          className="inline-flex items-center gap-1.5 text-xs text-neutral-300"
          role="status"
          data-testid="console-status"
          data-phase={session.phase}
        >
          <StatusDot status={status.dot} pulse={session.phase === 'connected'} />
          {status.text}
        </span>
        <SessionBadges viewOnly={session.viewOnly} recorded={session.recorded} />
        <div className="ml-auto flex flex-wrap items-center gap-0.5 [&_button]:text-neutral-200 [&_button:hover]:bg-white/10 [&_button:hover]:text-white">
          <ConsoleViewers tenantId={tenantId} serverId={serverId} vmid={vmid} />
          <Button
            variant="ghost"
            size="sm"
            disabled={!canInput}
            onClick={() => session.sendCtrlAltDel()}
            title={t(m.sendCad)}
          >
            <Keyboard /> <span className="hidden md:inline">{t(m.cad)}</span>
            <span className="sr-only md:hidden">{t(m.cad)}</span>
          </Button>
          <PastePanel
            disabled={!canInput}
            mode={pasteMode}
            onModeChange={setPasteMode}
            onPaste={paste}
            remoteClipboard={session.remoteClipboard}
            open={pasteOpen}
            onOpenChange={setPasteOpen}
          />
          <ScalingMenu value={scaling} onChange={setScaling} viewOnly={session.viewOnly} />
          <FullscreenButton frame={rootRef} />
          {session.phase === 'closed' || session.phase === 'waiting' ? (
            <Button variant="ghost" size="sm" onClick={session.reconnect}>
              <RefreshCw /> <span className="hidden md:inline">{t(m.reconnect)}</span>
            </Button>
          ) : (
            <Button variant="ghost" size="sm" onClick={session.disconnect} aria-label={t(m.disconnect)}>
              <Unplug />
            </Button>
          )}
        </div>
      </header>
      <ConsoleScreen
        screenRef={screenRef}
        connected={connected}
        overlay={
          <ConsoleOverlay
            tenantId={tenantId}
            serverId={serverId}
            vmid={vmid}
            guest={guest}
            session={session}
            countdown={countdown}
          />
        }
      />
    </div>
  );
}
