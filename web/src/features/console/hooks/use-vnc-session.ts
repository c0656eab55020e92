// One console session: asks Nexus for a fresh single-use ticket (a member's or a share link's), opens the WebSocket itself (so
// the close code and reason are known), hands it to noVNC, and on an unplanned close reconnects
// with back-off, each attempt with a new ticket. Final closes (revoked, taken over, …) stop.

import type { ConsoleTicket } from '@common/schemas/consoles';
import RFB from '@novnc/novnc';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { defineMessage } from 'react-intl';
import { ticketSocket } from '@/features/console/ticket-socket';
import { translate } from '@/i18n/current-intl';
import { type CloseInfo, closeInfoFromSocket, closeInfoFromTicketError } from '../close-reasons';
import { keysymsFor } from '../keysyms';

const youDisconnected = defineMessage({ id: 'console.closed.byYou', defaultMessage: 'You disconnected' });

export type Phase = 'requesting' | 'connecting' | 'connected' | 'waiting' | 'closed';
export type Scaling = 'fit' | 'native' | 'remote';

export const MAX_ATTEMPTS = 8;
const backoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

function applyScaling(rfb: RFB, scaling: Scaling) {
  rfb.scaleViewport = scaling === 'fit';
  rfb.resizeSession = scaling === 'remote';
  rfb.clipViewport = false;
}

export interface VncSession {
  phase: Phase;
  viewOnly: boolean;
  /** The tenant records this console. */
  recorded: boolean;
  close: CloseInfo | null;
  attempt: number;
  retryAt: number | null;
  desktopName: string | null;
  remoteClipboard: string | null;
  reconnect(): void;
  disconnect(): void;
  sendCtrlAltDel(): void;
  pasteClipboard(text: string): void;
  typeText(text: string): Promise<void>;
  focus(): void;
}

/**
 * noVNC takes its screen out of the container when the connection ends, leaving black. The last
 * picture stays instead, dimmed and inert, under the overlay that says what happened, until the
 * next connection replaces it.
 */
function keepLastFrame(target: HTMLElement): void {
  const canvas = (target.querySelector('canvas') ?? lastCanvas.get(target)) as HTMLCanvasElement | undefined;
  if (!canvas || canvas.width === 0) return;
  const frame = document.createElement('div');
  frame.dataset.lastFrame = '';
  frame.className = 'pointer-events-none flex h-full w-full items-center justify-center opacity-50';
  frame.append(canvas);
  target.replaceChildren(frame);
}

const lastCanvas = new WeakMap<HTMLElement, HTMLCanvasElement>();

export function useVncSession(opts: {
  /** Asks for a fresh single-use ticket (a member's, or a share link's) for every connection. */
  request: () => Promise<ConsoleTicket>;
  /** What the session is of: a new key starts a new session. */
  sessionKey: string;
  screen: RefObject<HTMLDivElement | null>;
  scaling: Scaling;
}): VncSession {
  const { sessionKey, screen, scaling } = opts;
  const requestRef = useRef(opts.request);
  requestRef.current = opts.request;
  const [phase, setPhase] = useState<Phase>('requesting');
  const [viewOnly, setViewOnly] = useState(false);
  /** The tenant records this console (the page says so). */
  const [recorded, setRecorded] = useState(false);
  const [close, setClose] = useState<CloseInfo | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [desktopName, setDesktopName] = useState<string | null>(null);
  const [remoteClipboard, setRemoteClipboard] = useState<string | null>(null);

  const rfbRef = useRef<RFB | null>(null);
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const attemptRef = useRef(0);
  const generationRef = useRef(0);
  const scalingRef = useRef(scaling);
  scalingRef.current = scaling;

  const clearTimer = useCallback(() => {
    if (timerRef.current) clearTimeout(timerRef.current);
    timerRef.current = null;
  }, []);

  const teardown = useCallback(() => {
    const rfb = rfbRef.current;
    rfbRef.current = null;
    if (rfb) {
      try {
        rfb.disconnect();
      } catch {
        // Already closed.
      }
    }
  }, []);

  const connectRef = useRef<(generation: number) => void>(() => {});

  const scheduleOrStop = useCallback(
    (info: CloseInfo, generation: number) => {
      if (generation !== generationRef.current) return;
      setClose(info);
      if (info.retry && attemptRef.current < MAX_ATTEMPTS) {
        // A lost connection is tried again at once: Nexus keeps the console for 30 s, and a
        // fresh ticket within them re-attaches to it.
        const delay = info.code === 1006 && attemptRef.current === 0 ? 250 : backoff(attemptRef.current);
        attemptRef.current += 1;
        setAttempt(attemptRef.current);
        setRetryAt(Date.now() + delay);
        setPhase('waiting');
        clearTimer();
        timerRef.current = setTimeout(() => connectRef.current(generation), delay);
      } else {
        setRetryAt(null);
        setPhase('closed');
      }
    },
    [clearTimer],
  );

  connectRef.current = async (generation: number) => {
    clearTimer();
    teardown();
    const target = screen.current;
    if (!target || generation !== generationRef.current) return;
    setPhase('requesting');
    setRetryAt(null);
    let ticket: ConsoleTicket;
    try {
      ticket = await requestRef.current();
    } catch (e) {
      scheduleOrStop(closeInfoFromTicketError(e), generation);
      return;
    }
    if (generation !== generationRef.current) return;
    setViewOnly(ticket.viewOnly);
    setRecorded(ticket.recorded);
    setPhase('connecting');

    const ws = ticketSocket(ticket);
    let closeEvent: CloseEvent | null = null;
    // Registered before noVNC attaches, so the code and reason are known when it reports the disconnect.
    ws.addEventListener('close', (e) => {
      closeEvent = e;
    });
    // Clear what a previous guest session (or its kept last picture) left in the screen container.
    target.replaceChildren();
    const rfb = new RFB(target, ws, { shared: true });
    rfb.viewOnly = ticket.viewOnly;
    rfb.focusOnClick = true;
    rfb.background = 'rgb(12, 12, 15)';
    applyScaling(rfb, scalingRef.current);
    rfb.addEventListener('connect', () => {
      if (generation !== generationRef.current) return;
      attemptRef.current = 0;
      setAttempt(0);
      setClose(null);
      setPhase('connected');
      const canvas = target.querySelector('canvas');
      if (canvas) lastCanvas.set(target, canvas);
      rfb.focus();
    });
    rfb.addEventListener('disconnect', () => {
      if (rfbRef.current === rfb) rfbRef.current = null;
      keepLastFrame(target);
      // The socket's close event may trail noVNC's report by a tick.
      setTimeout(() => scheduleOrStop(closeInfoFromSocket(closeEvent), generation), 0);
    });
    rfb.addEventListener('desktopname', (e) => setDesktopName((e as CustomEvent<{ name: string }>).detail.name));
    rfb.addEventListener('clipboard', (e) => setRemoteClipboard((e as CustomEvent<{ text: string }>).detail.text));
    rfbRef.current = rfb;
  };

  /** Ends the current connection and any retry it had scheduled (nothing of it reports back). */
  const stop = useCallback(() => {
    generationRef.current += 1;
    clearTimer();
    teardown();
  }, [teardown, clearTimer]);

  const reconnect = useCallback(() => {
    generationRef.current += 1;
    attemptRef.current = 0;
    setAttempt(0);
    setClose(null);
    void connectRef.current(generationRef.current);
  }, []);

  // Start on mount and whenever the console changes; stop on unmount.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the session's key is what restarts it; connectRef reads the rest
  useEffect(() => {
    reconnect();
    // Leaving the page is a close the user chose: say so (1000) rather than let the socket die
    // with the document, which Nexus would take for a dropped connection and keep the console
    // (and its recording) open for a re-attach. Back from the browser's page cache: a new session.
    const back = (e: PageTransitionEvent) => {
      if (e.persisted) reconnect();
    };
    window.addEventListener('pagehide', stop);
    window.addEventListener('pageshow', back);
    return () => {
      window.removeEventListener('pagehide', stop);
      window.removeEventListener('pageshow', back);
      stop();
    };
  }, [sessionKey, reconnect, stop]);

  useEffect(() => {
    if (rfbRef.current) applyScaling(rfbRef.current, scaling);
  }, [scaling]);

  const disconnect = useCallback(() => {
    stop();
    setRetryAt(null);
    setClose({ code: 1000, title: translate(youDisconnected), detail: null, retry: false });
    setPhase('closed');
  }, [stop]);

  const typeText = useCallback(async (text: string) => {
    for (const keysym of keysymsFor(text)) {
      const rfb = rfbRef.current;
      if (!rfb) return;
      rfb.sendKey(keysym, null);
      // Guests drop keys that arrive faster than their input queue drains.
      await new Promise((r) => setTimeout(r, 12));
    }
  }, []);

  return {
    phase,
    viewOnly,
    recorded,
    close,
    attempt,
    retryAt,
    desktopName,
    remoteClipboard,
    reconnect,
    disconnect,
    sendCtrlAltDel: () => rfbRef.current?.sendCtrlAltDel(),
    pasteClipboard: (text: string) => rfbRef.current?.clipboardPasteFrom(text),
    typeText,
    focus: () => rfbRef.current?.focus(),
  };
}
