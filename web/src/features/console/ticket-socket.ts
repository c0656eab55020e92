// The WebSocket a console ticket opens (graphical and text consoles, share links alike): the
// ticket's path on this origin, ws: or wss: as the page, subprotocol `binary`.
export function ticketSocket(ticket: { wsPath: string }): WebSocket {
  const url = new URL(ticket.wsPath, window.location.href);
  url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocket(url.toString(), ['binary']);
}
