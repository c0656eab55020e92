// A text console filling the window: xterm.js (fit to the window, links clickable) on Proxmox's
// termproxy, a toolbar like the graphical console's (copy, paste, font size, fullscreen,
// reconnect) and the reason when it ends. Output is written as terminal data, never as markup.
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { ConsoleTicket } from '@common/schemas/consoles';
import { ArrowLeft, ClipboardPaste, Copy, Minus, Plus, RefreshCw } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { StatusDot } from '@/components/ui/status-dot';
import { toast } from '@/components/ui/toast';
import { FullscreenButton } from '@/features/console/components/fullscreen-button';
import { SessionBadges } from '@/features/console/components/session-badges';
import { m as c, guestFallback } from '@/features/console/messages';
import { useVms } from '@/features/vms/api/get-vms';
import { guestLabel } from '@/features/vms/components/guest-actions';
import { requestTerminal, type TerminalTarget, useTerminalSession } from '../hooks/use-terminal-session';
import { documentTitle, m, nodeName } from '../messages';

const FONT_SIZES = [11, 12, 13, 14, 16, 18, 20, 24];

/** The toolbar's buttons: light on the terminal's dark bar. */
const TOOL = { variant: 'ghost', size: 'sm', className: 'text-neutral-100 hover:bg-white/10' } as const;

/** A member's text console of their tenant: a guest's (named as the list has it) or a node's shell. */
export function TenantTerminal({
  tenantId,
  serverId,
  target,
}: {
  tenantId: string;
  serverId: string;
  target: TerminalTarget;
}) {
  const vms = useVms(tenantId);
  const vmid = target.kind === 'guest' ? target.vmid : null;
  const guest = vms.data?.vms.find((g) => g.serverId === serverId && g.vmid === vmid);
  const request = useMemo(() => requestTerminal(tenantId, serverId, target), [tenantId, serverId, target]);
  const t = useIntl().formatMessage;
  return (
    <TerminalView
      request={request}
      sessionKey={`${tenantId}/${serverId}/${JSON.stringify(target)}`}
      name={
        target.kind === 'node'
          ? t(nodeName, { node: target.node })
          : guest
            ? guestLabel(guest, t)
            : t(guestFallback, { vmid: vmid ?? 0 })
      }
      subtitle={target.kind === 'guest' ? target.serial : null}
      nodeShell={target.kind === 'node'}
      back={
        target.kind === 'node'
          ? `/tenants/${tenantId}/servers/${serverId}`
          : `/tenants/${tenantId}/servers/${serverId}/vms/${target.vmid}`
      }
    />
  );
}

export function TerminalView({
  request,
  sessionKey,
  name,
  subtitle = null,
  nodeShell = false,
  back = null,
}: {
  request: () => Promise<ConsoleTicket>;
  sessionKey: string;
  name: string;
  /** A VM's serial port. */
  subtitle?: string | null;
  nodeShell?: boolean;
  /** Where "Back" goes; none on a share link's page. */
  back?: string | null;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const t = useIntl().formatMessage;
  const rootRef = useRef<HTMLDivElement>(null);
  const [term, setTerm] = useState<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const [fontSize, setFontSize] = useState(14);
  const session = useTerminalSession({ request, sessionKey, term });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const t = new Terminal({
      fontSize: 14,
      cursorBlink: true,
      convertEol: false,
      scrollback: 5000,
      theme: { background: '#0c0c0f' },
    });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.loadAddon(new WebLinksAddon());
    t.open(host);
    fit.fit();
    fitRef.current = fit;
    setTerm(t);
    // Resizing follows the window (and the toolbar's font size); the session tells Proxmox.
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host);
    return () => {
      observer.disconnect();
      t.dispose();
      setTerm(null);
    };
  }, []);

  useEffect(() => {
    if (!term) return;
    term.options.fontSize = fontSize;
    fitRef.current?.fit();
  }, [term, fontSize]);

  useEffect(() => {
    document.title = t(documentTitle, { name });
    return () => {
      document.title = 'Nexus';
    };
  }, [name, t]);

  const copy = async () => {
    const text = term?.getSelection() ?? '';
    if (!text) return toast({ title: t(m.selectFirst) });
    await navigator.clipboard.writeText(text).then(
      () => toast({ variant: 'success', title: t(m.copied) }),
      () => toast({ variant: 'error', title: t(m.copyRefused) }),
    );
  };
  const paste = async () => {
    const text = await navigator.clipboard.readText().catch(() => null);
    if (text === null) return toast({ variant: 'error', title: t(m.readRefused) });
    session.type(text);
  };
  const step = (d: number) => {
    const i = FONT_SIZES.indexOf(fontSize);
    setFontSize(FONT_SIZES[Math.max(0, Math.min(FONT_SIZES.length - 1, i + d))] ?? 14);
  };
  const status =
    session.phase === 'connected'
      ? { dot: 'online', text: t(c.connected) }
      : session.phase === 'closed'
        ? { dot: 'offline', text: t(c.disconnected) }
        : { dot: 'degraded', text: t(c.connecting) };

  return (
    <div ref={rootRef} className="flex h-dvh flex-col bg-[#0c0c0f] text-neutral-100" data-testid="terminal-root">
      <div
        className="flex flex-wrap items-center gap-2 border-b border-white/10 px-2 py-1.5"
        role="toolbar"
        aria-label={t(m.toolbar)}
      >
        {back ? (
          <Button asChild {...TOOL}>
            <Link to={back} aria-label={t(m.back)}>
              <ArrowLeft />
            </Link>
          </Button>
        ) : null}
        <span className="font-medium">{name}</span>
        {subtitle ? <span className="text-xs text-neutral-400">{subtitle}</span> : null}
        <span
          className="inline-flex items-center gap-1.5 text-sm text-neutral-300"
          data-testid="terminal-phase"
          data-phase={session.phase}
        >
          <StatusDot status={status.dot} /> {status.text}
        </span>
        {nodeShell ? (
          <Badge variant="warning" title={t(m.nodeShellTitle)}>
            {t(m.nodeShell)}
          </Badge>
        ) : null}
        <SessionBadges viewOnly={session.viewOnly} recorded={session.recorded} />
        <span className="ml-auto flex flex-wrap gap-1">
          <Button {...TOOL} onClick={copy}>
            <Copy /> {t(m.copy)}
          </Button>
          <Button {...TOOL} disabled={session.viewOnly || session.phase !== 'connected'} onClick={paste}>
            <ClipboardPaste /> {t(c.paste)}
          </Button>
          <Button {...TOOL} aria-label={t(m.smaller)} onClick={() => step(-1)}>
            <Minus />
          </Button>
          <span className="self-center text-xs text-neutral-400" aria-live="polite">
            {fontSize}px
          </span>
          <Button {...TOOL} aria-label={t(m.larger)} onClick={() => step(1)}>
            <Plus />
          </Button>
          <FullscreenButton frame={rootRef} className={TOOL.className} />
          <Button {...TOOL} onClick={session.reconnect}>
            <RefreshCw /> {t(c.reconnect)}
          </Button>
        </span>
      </div>
      <div className="relative min-h-0 flex-1 p-1">
        <div ref={hostRef} className="h-full w-full" data-testid="terminal-screen" />
        {session.phase === 'closed' ? (
          <div
            className="absolute inset-x-0 top-4 mx-auto w-fit max-w-md rounded-xl border border-white/10 bg-neutral-900 p-4 text-center shadow-xl"
            role="alert"
          >
            <p className="font-medium" data-testid="terminal-close-title">
              {session.close?.title ?? t(c.disconnected)}
            </p>
            {session.close?.detail ? <p className="text-sm text-neutral-400">{session.close.detail}</p> : null}
            <Button className="mt-3" onClick={session.reconnect}>
              <RefreshCw /> {t(c.reconnect)}
            </Button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
