// The checks `ws` makes of a WebSocket upgrade request, made early. @fastify/websocket runs the
// route's hooks first and only then hands the socket to `ws`, which refuses a bad handshake with
// a bare 400; a preHandler that already did work for the upgrade (consumed a console ticket)
// would be left with it. Checking the same rules first refuses before anything is spent.
import type { IncomingHttpHeaders } from 'node:http';
import type { ServerOptions } from 'ws';

/** How Nexus's WebSocket endpoints answer (the app's, and a relay worker's for consoles). */
export const WEBSOCKET_SERVER_OPTIONS = {
  // Room for a 1 MiB clipboard paste (ClientCutText), the relay's cut-text cap; larger frames
  // close the console with 1009.
  maxPayload: 1024 * 1024 + 64,
  perMessageDeflate: false,
  // Several messages of one read are emitted in the same tick (ws's default since 8.17; 1.6×
  // faster on bursts of small messages such as pointer moves than one per tick).
  allowSynchronousEvents: true,
  // The console speaks `binary` (noVNC's default); echo it even when listed after others.
  handleProtocols: (protocols: Set<string>) => (protocols.has('binary') ? 'binary' : false),
} satisfies ServerOptions;

/** `ws` 8: 16 random bytes in base64 (RFC 6455 §4.1). */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** RFC 7230 token characters. */
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
/** A subprotocol list as `ws` parses it: tokens, commas, optional blanks around commas. */
const PROTOCOL_LIST = new RegExp(`^${TOKEN}(?:[ \\t]*,[ \\t]*${TOKEN})*$`);

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value;

/**
 * Why `ws` would refuse this upgrade (Upgrade header, Sec-WebSocket-Key, Sec-WebSocket-Version,
 * Sec-WebSocket-Protocol), or null when it would accept it. Sec-WebSocket-Extensions is not
 * checked: without permessage-deflate `ws` ignores it, and so does the handshake.
 */
export function websocketHandshakeProblem(headers: IncomingHttpHeaders): string | null {
  if (single(headers.upgrade)?.toLowerCase() !== 'websocket') return 'Invalid Upgrade header';
  const key = single(headers['sec-websocket-key']);
  if (key === undefined || !KEY.test(key)) return 'Missing or invalid Sec-WebSocket-Key header';
  const version = Number(single(headers['sec-websocket-version']));
  if (version !== 13 && version !== 8) return 'Missing or invalid Sec-WebSocket-Version header';
  const protocols = single(headers['sec-websocket-protocol']);
  if (protocols !== undefined) {
    if (!PROTOCOL_LIST.test(protocols)) return 'Invalid Sec-WebSocket-Protocol header';
    const names = protocols.split(',').map((p) => p.trim());
    if (new Set(names).size !== names.length) return 'Invalid Sec-WebSocket-Protocol header';
  }
  return null;
}
