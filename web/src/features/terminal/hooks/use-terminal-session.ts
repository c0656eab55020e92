// One text console: a fresh ticket (POST …/terminal, or a share link's), the WebSocket at its wsPath, and termproxy's
// framing both ways — keystrokes as `0:<bytes>:<data>`, window sizes as `1:<cols>:<rows>:`, a ping
// `2` every 30 s — with the output written into xterm.js. A view-only session sends nothing but
// pings (the broker would drop the rest anyway). Ends say why (close-reasons.ts); reconnecting is
// the user's choice.
import type { ConsoleTicket } from '@common/schemas/consoles';
import type { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type CloseInfo, closeInfoFromSocket, closeInfoFromTicketError } from '@/features/console/close-reasons';
import { ticketSocket } from '@/features/console/ticket-socket';
import { api } from '@/lib/api-client';

export type TerminalPhase = 'requesting' | 'connecting' | 'connected' | 'closed';

const encoder = new TextEncoder();

export function inputFrame(data: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(data);
  const head = encoder.encode(`0:${bytes.length}:`);
  const out = new Uint8Array(new ArrayBuffer(head.length + bytes.length));
  out.set(head);
  out.set(bytes, head.length);
  return out;
}

export const resizeFrame = (cols: number, rows: number): Uint8Array<ArrayBuffer> =>
  new Uint8Array(encoder.encode(`1:${cols}:${rows}:`));

/** A guest's text console (a container, or a VM's serial port), or a node's shell. */
export type TerminalTarget = { kind: 'guest'; vmid: number; serial: string | null } | { kind: 'node'; node: string };

/** A member's ticket for a target of their tenant. */
export const requestTerminal = (tenantId: string, serverId: string, target: TerminalTarget) => () =>
  api<ConsoleTicket>(ticketPath(tenantId, serverId, target), { method: 'POST' });

/** Where a target's ticket is asked for. */
export function ticketPath(tenantId: string, serverId: string, target: TerminalTarget): string {
  const server = `/api/tenants/${encodeURIComponent(tenantId)}/servers/${encodeURIComponent(serverId)}`;
  if (target.kind === 'node') return `${server}/nodes/${encodeURIComponent(target.node)}/terminal`;
  return `${server}/vms/${target.vmid}/terminal${target.serial ? `?serial=${encodeURIComponent(target.serial)}` : ''}`;
}

export function useTerminalSession(opts: {
  /** Asks for a fresh single-use ticket (every connection and reconnection). */
  request: () => Promise<ConsoleTicket>;
  /** What the session is of: a new key starts a new session. */
  sessionKey: string;
  term: Terminal | null;
}) {
  const { request, sessionKey, term } = opts;
  const requestRef = useRef(request);
  requestRef.current = request;
  const [phase, setPhase] = useState<TerminalPhase>('requesting');
  const [close, setClose] = useState<CloseInfo | null>(null);
  const [viewOnly, setViewOnly] = useState(false);
  /** The tenant records this console (the page says so). */
  const [recorded, setRecorded] = useState(false);
  const socketRef = useRef<WebSocket | null>(null);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `sessionKey` names the console and `generation` is the reconnect button: a new ticket
  useEffect(() => {
    if (!term) return;
    let cancelled = false;
    let socket: WebSocket | null = null;
    const disposers: (() => void)[] = [];
    setPhase('requesting');
    setClose(null);
    requestRef
      .current()
      .then((ticket) => {
        if (cancelled) return;
        setViewOnly(ticket.viewOnly);
        setRecorded(ticket.recorded);
        setPhase('connecting');
        const ws = ticketSocket(ticket);
        ws.binaryType = 'arraybuffer';
        socket = ws;
        socketRef.current = ws;
        const send = (data: Uint8Array<ArrayBuffer>) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(data);
        };
        ws.addEventListener('open', () => {
          if (cancelled) return;
          setPhase('connected');
          if (!ticket.viewOnly) send(resizeFrame(term.cols, term.rows));
          term.focus();
        });
        ws.addEventListener('message', (e) => {
          term.write(new Uint8Array(e.data as ArrayBuffer));
        });
        ws.addEventListener('close', (e) => {
          if (cancelled) return;
          setClose(closeInfoFromSocket(e));
          setPhase('closed');
        });
        if (!ticket.viewOnly) {
          const onData = term.onData((d) => send(inputFrame(d)));
          const onResize = term.onResize(({ cols, rows }) => send(resizeFrame(cols, rows)));
          disposers.push(
            () => onData.dispose(),
            () => onResize.dispose(),
          );
        }
        const ping = setInterval(() => send(new Uint8Array(encoder.encode('2'))), 30_000);
        disposers.push(() => clearInterval(ping));
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setClose(closeInfoFromTicketError(e));
        setPhase('closed');
      });
    return () => {
      cancelled = true;
      for (const d of disposers) d();
      socket?.close(1000);
      socketRef.current = null;
    };
  }, [sessionKey, term, generation]);

  /** Sends text as typed (paste), unless the session is view-only. */
  const type = useCallback(
    (text: string) => {
      const ws = socketRef.current;
      if (!viewOnly && ws?.readyState === WebSocket.OPEN) ws.send(inputFrame(text));
    },
    [viewOnly],
  );

  return { phase, close, viewOnly, recorded, type, reconnect: () => setGeneration((g) => g + 1) };
}
