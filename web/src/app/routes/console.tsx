// /tenants/:tenantId/servers/:serverId/vms/:vmid/console: noVNC filling the window, with a
// toolbar (status, view-only badge, who else is here, Ctrl+Alt+Del, paste, scaling, fullscreen)
// and an honest message for every way the console can end.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import {
  ArrowLeft,
  Expand,
  Eye,
  Keyboard,
  Minimize2,
  Play,
  RefreshCw,
  Scaling as ScalingIcon,
  Unplug,
  Users,
} from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Spinner } from '@/components/ui/misc';
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover';
import { StatusDot } from '@/components/ui/status-dot';
import { toast } from '@/components/ui/toast';
import { useConsoleViewers } from '@/features/console/api/get-console-viewers';
import { type PasteMode, PastePanel } from '@/features/console/components/paste-panel';
import { MAX_ATTEMPTS, type Scaling, useVncSession } from '@/features/console/hooks/use-vnc-session';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { useVms } from '@/features/vms/api/get-vms';
import { useVmAction } from '@/features/vms/api/vm-action';
import { guestLabel } from '@/features/vms/components/guest-actions';
import { errorMessage } from '@/lib/api-client';
import { formatRelative } from '@/lib/format';

const PASTE_MODE_KEY = 'nexus-paste-mode';
const SCALING_KEY = 'nexus-console-scaling';

function readPref<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return (allowed as readonly string[]).includes(v ?? '') ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}
function writePref(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // No storage: the preference lasts for this page.
  }
}

function useCountdown(at: number | null): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (at === null) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export function Component() {
  const tenant = useCurrentTenant();
  const { serverId = '', vmid: vmidParam = '' } = useParams();
  const vmid = Number(vmidParam);
  const screenRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const [scaling, setScaling] = useState<Scaling>(() =>
    readPref(SCALING_KEY, ['fit', 'native', 'remote'] as const, 'fit'),
  );
  const [pasteMode, setPasteMode] = useState<PasteMode>(() =>
    readPref(PASTE_MODE_KEY, ['clipboard', 'type'] as const, 'clipboard'),
  );
  const [pasteOpen, setPasteOpen] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);
  const session = useVncSession({ tenantId: tenant.id, serverId, vmid, screen: screenRef, scaling });
  const viewers = useConsoleViewers(tenant.id, serverId, vmid);
  const vms = useVms(tenant.id);
  const guest = vms.data?.vms.find((g) => g.serverId === serverId && g.vmid === vmid);
  const name = session.desktopName ?? (guest ? guestLabel(guest) : `Guest ${vmid}`);
  const countdown = useCountdown(session.retryAt);
  const others = (viewers.data?.consoles ?? []).filter((c) => !c.mine);
  const startGuest = useVmAction(tenant.id);
  const [startRequested, setStartRequested] = useState(false);
  const guestStopped = session.close?.code === CONSOLE_CLOSE.vmStopped || guest?.status === 'stopped';
  // After "Start the guest", reconnect as soon as the event stream reports it running.
  useEffect(() => {
    if (startRequested && guest?.status === 'running') {
      setStartRequested(false);
      session.reconnect();
    }
  }, [startRequested, guest?.status, session.reconnect]);
  const connected = session.phase === 'connected';
  const canInput = connected && !session.viewOnly;

  useEffect(() => {
    document.title = `${name} · console · Nexus`;
    return () => {
      document.title = 'Nexus';
    };
  }, [name]);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const paste = useCallback(
    (text: string, mode: PasteMode) => {
      // The broker accepts clipboard messages up to 1 MiB; a bigger one would end the console.
      if (new TextEncoder().encode(text).length > 1024 * 1024) {
        toast({ title: 'Too much to paste (over 1 MiB)' });
        return;
      }
      if (mode === 'type') void session.typeText(text);
      else session.pasteClipboard(text);
      toast({ title: mode === 'type' ? `Typing ${text.length} characters…` : 'Sent to the guest clipboard' });
      session.focus();
    },
    [session],
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

  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void rootRef.current?.requestFullscreen?.();
  };

  const status =
    session.phase === 'connected'
      ? { dot: 'online', text: 'Connected' }
      : session.phase === 'waiting'
        ? { dot: 'degraded', text: `Reconnecting${countdown !== null ? ` in ${countdown}s` : ''}` }
        : session.phase === 'closed'
          ? { dot: 'offline', text: 'Disconnected' }
          : { dot: 'degraded', text: 'Connecting…' };

  return (
    <div ref={rootRef} className="flex h-full flex-col bg-[rgb(12,12,15)] text-neutral-100">
      <header className="flex flex-wrap items-center gap-1 border-b border-white/10 bg-neutral-900 px-2 py-1.5 text-sm sm:gap-2 sm:px-3">
        <Button asChild variant="ghost" size="sm" className="text-neutral-200 hover:bg-white/10 hover:text-white">
          <Link to={`/tenants/${tenant.id}/servers/${serverId}/vms/${vmid}`} aria-label="Back to the guest">
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
        {session.viewOnly ? (
          <Badge variant="warning" data-testid="view-only-badge">
            <Eye /> View only
          </Badge>
        ) : null}
        <div className="ml-auto flex flex-wrap items-center gap-0.5 [&_button]:text-neutral-200 [&_button:hover]:bg-white/10 [&_button:hover]:text-white">
          <Popover>
            <PopoverTrigger asChild>
              <Button variant="ghost" size="sm" aria-label={`${others.length} other people on this console`}>
                <Users /> {others.length}
              </Button>
            </PopoverTrigger>
            <PopoverContent className="w-72">
              <p className="mb-2 text-sm font-medium">On this console</p>
              {(viewers.data?.consoles ?? []).length === 0 ? (
                <p className="text-sm text-muted-foreground">Only you.</p>
              ) : (
                <ul className="grid gap-1.5 text-sm" data-testid="console-viewers">
                  {viewers.data?.consoles.map((c) => (
                    <li key={c.consoleId} className="flex items-center justify-between gap-2">
                      <span className="min-w-0 truncate">
                        {c.fullName || c.email || 'someone'}
                        {c.mine ? ' (you)' : ''}
                      </span>
                      <span className="shrink-0 text-xs text-muted-foreground">
                        {c.viewOnly ? 'viewing · ' : ''}
                        {formatRelative(c.openedAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </PopoverContent>
          </Popover>
          <Button
            variant="ghost"
            size="sm"
            disabled={!canInput}
            onClick={() => session.sendCtrlAltDel()}
            title="Send Ctrl+Alt+Del"
          >
            <Keyboard /> <span className="hidden md:inline">Ctrl+Alt+Del</span>
            <span className="sr-only md:hidden">Ctrl+Alt+Del</span>
          </Button>
          <PastePanel
            disabled={!canInput}
            mode={pasteMode}
            onModeChange={(m) => {
              setPasteMode(m);
              writePref(PASTE_MODE_KEY, m);
            }}
            onPaste={paste}
            remoteClipboard={session.remoteClipboard}
            open={pasteOpen}
            onOpenChange={setPasteOpen}
          />
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="ghost" size="sm" aria-label={`Scale: ${scaling}`}>
                <ScalingIcon /> <span className="hidden md:inline">Scale</span>
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuLabel>Scaling</DropdownMenuLabel>
              <DropdownMenuRadioGroup
                value={scaling}
                onValueChange={(v) => {
                  setScaling(v as Scaling);
                  writePref(SCALING_KEY, v);
                }}
              >
                <DropdownMenuRadioItem value="fit">Fit to window</DropdownMenuRadioItem>
                <DropdownMenuRadioItem value="native">1:1 (scroll)</DropdownMenuRadioItem>
                <DropdownMenuRadioItem value="remote" disabled={session.viewOnly}>
                  Resize the guest’s screen
                </DropdownMenuRadioItem>
              </DropdownMenuRadioGroup>
            </DropdownMenuContent>
          </DropdownMenu>
          <Button
            variant="ghost"
            size="sm"
            onClick={toggleFullscreen}
            aria-label={fullscreen ? 'Exit fullscreen' : 'Fullscreen'}
          >
            {fullscreen ? <Minimize2 /> : <Expand />}
          </Button>
          {session.phase === 'closed' || session.phase === 'waiting' ? (
            <Button variant="ghost" size="sm" onClick={session.reconnect}>
              <RefreshCw /> <span className="hidden md:inline">Reconnect</span>
            </Button>
          ) : (
            <Button variant="ghost" size="sm" onClick={session.disconnect} aria-label="Disconnect">
              <Unplug />
            </Button>
          )}
        </div>
      </header>
      <div className="relative min-h-0 flex-1">
        <div ref={screenRef} className="absolute inset-0 overflow-auto" data-testid="console-screen" />
        {session.phase !== 'connected' ? (
          <div className="absolute inset-0 flex items-center justify-center bg-black/60 p-4">
            <div
              className="grid max-w-md gap-3 rounded-xl border border-white/10 bg-neutral-900 p-5 text-center shadow-xl"
              role="alert"
              aria-live="assertive"
            >
              {session.phase === 'requesting' || session.phase === 'connecting' ? (
                <p className="flex items-center justify-center gap-2">
                  <Spinner className="text-neutral-300" />{' '}
                  {session.phase === 'requesting' ? 'Asking for a console…' : 'Connecting to the guest…'}
                </p>
              ) : (
                <>
                  <p className="font-medium" data-testid="console-close-title">
                    {session.close?.title ?? 'Disconnected'}
                  </p>
                  {session.close?.detail ? (
                    <p className="text-sm break-words text-neutral-400">{session.close.detail}</p>
                  ) : null}
                  {session.phase === 'waiting' ? (
                    <p className="text-sm text-neutral-300">
                      Reconnecting in {countdown ?? 0}s (attempt {session.attempt} of {MAX_ATTEMPTS}) with a fresh
                      ticket.
                    </p>
                  ) : null}
                  <div className="flex flex-wrap justify-center gap-2">
                    {guestStopped && guest?.can.power && session.phase === 'closed' ? (
                      <Button
                        disabled={startGuest.isPending || startRequested}
                        onClick={() =>
                          startGuest.mutate(
                            { serverId, vmid, action: 'start' },
                            {
                              onSuccess: () => setStartRequested(true),
                              onError: (e) =>
                                toast({
                                  variant: 'error',
                                  title: 'The guest did not start',
                                  description: errorMessage(e),
                                }),
                            },
                          )
                        }
                      >
                        {startRequested ? <Spinner className="text-current" /> : <Play />} Start the guest
                      </Button>
                    ) : null}
                    <Button onClick={session.reconnect}>
                      <RefreshCw /> {session.phase === 'waiting' ? 'Reconnect now' : 'Reconnect'}
                    </Button>
                    <Button
                      asChild
                      variant="outline"
                      className="border-white/20 bg-transparent text-neutral-100 hover:bg-white/10"
                    >
                      <Link to={`/tenants/${tenant.id}`}>Back to dashboard</Link>
                    </Button>
                  </div>
                </>
              )}
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
