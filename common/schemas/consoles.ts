// Console API shapes (DESIGN.md §6, §7) and the WebSocket close codes of the console stream, which
// the web client maps to a message without parsing the reason text.
import { z } from 'zod';
import { GuestParams, model, ServerParams } from './shared';

/** A VM's serial port for its text console (`serial0` … `serial3`, as Proxmox names them). */
export const TerminalQuery = z.object({ serial: z.enum(['serial0', 'serial1', 'serial2', 'serial3']).optional() });

export const NodeShellParams = ServerParams.extend({
  node: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/, 'must be a Proxmox node name'),
});

export const ConsoleGuestParams = GuestParams;

export const ConsoleTicketParams = z.object({ ticket: z.string().max(200) });

export const ConsoleTicket = model('ConsoleTicket', {
  /** `/api/consoles/<ticket>/ws`: single use, valid until `expiresAt`. */
  wsPath: z.string(),
  expiresAt: z.string(),
  viewOnly: z.boolean(),
  /** The tenant records its consoles: the page says so before the console opens. */
  recorded: z.boolean(),
});
export type ConsoleTicket = z.infer<typeof ConsoleTicket>;

export const ConsoleViewer = model('ConsoleViewer', {
  consoleId: z.string(),
  userId: z.string(),
  email: z.string().nullable(),
  fullName: z.string().nullable(),
  viewOnly: z.boolean(),
  openedAt: z.string(),
  /** Whether this is one of the caller's own consoles. */
  mine: z.boolean(),
  /** Opened through a share link (the user is the link's creator): the link and the
   * recipient's address. */
  share: z.object({ id: z.string(), ip: z.string().nullable() }).nullable(),
});
export type ConsoleViewer = z.infer<typeof ConsoleViewer>;

export const ConsoleViewers = z.object({ consoles: z.array(ConsoleViewer) });

/**
 * Close codes of `/api/consoles/:ticket/ws` (the 4000–4999 range is the application's). The close
 * reason carries the human text ("VM stopped", "session revoked", …), at most 123 bytes.
 */
export const CONSOLE_CLOSE = {
  /** The browser or Proxmox ended the console normally. */
  normal: 1000,
  /** Nexus is shutting down or restarting. */
  goingAway: 1001,
  /** The browser sent something that is not RFB (malformed, unknown message, text frame). */
  protocolError: 1002,
  /** The browser sent a WebSocket message over the limit (1 MiB and a little, for a clipboard paste). */
  messageTooBig: 1009,
  /** The guest is not running any more. */
  vmStopped: 4001,
  /** Another client took the console exclusively. */
  takenOver: 4002,
  /** Logout, lost permission, membership or tenant change, server deleted. */
  revoked: 4003,
  /** No input for the tenant's console idle timeout. */
  idle: 4004,
  /** Proxmox could not be reached, refused the console or dropped it. */
  proxmoxUnreachable: 4005,
  /** A side stopped reading (or answering keepalives) for longer than allowed. */
  stalled: 4008,
  /** The console did not become ready in time. */
  handshakeTimeout: 4009,
  /** Proxmox ended the console (for instance its own 15-minute no-traffic limit). */
  closedByProxmox: 4010,
  /** Something unexpected on Nexus's side. */
  internal: 1011,
} as const;
export type ConsoleCloseCode = (typeof CONSOLE_CLOSE)[keyof typeof CONSOLE_CLOSE];
