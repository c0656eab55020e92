// The console feature's texts (ICU messages, ids `console.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const m = defineMessages({
  connected: { id: 'console.status.connected', defaultMessage: 'Connected' },
  disconnected: { id: 'console.status.disconnected', defaultMessage: 'Disconnected' },
  connecting: { id: 'console.status.connecting', defaultMessage: 'Connecting…' },
  reconnectingSoon: { id: 'console.status.reconnecting', defaultMessage: 'Reconnecting' },
  back: { id: 'console.back', defaultMessage: 'Back to the guest' },
  sendCad: { id: 'console.sendCtrlAltDel', defaultMessage: 'Send Ctrl+Alt+Del' },
  /** The key combination as the reader's keyboard names it (German keyboards: Strg+Alt+Entf). */
  cad: { id: 'console.ctrlAltDel', defaultMessage: 'Ctrl+Alt+Del' },
  fullscreen: { id: 'console.fullscreen', defaultMessage: 'Fullscreen' },
  exitFullscreen: { id: 'console.exitFullscreen', defaultMessage: 'Exit fullscreen' },
  reconnect: { id: 'console.reconnect', defaultMessage: 'Reconnect' },
  disconnect: { id: 'console.disconnect', defaultMessage: 'Disconnect' },
  tooMuch: { id: 'console.pasteTooMuch', defaultMessage: 'Too much to paste (over 1 MiB)' },
  sentToClipboard: { id: 'console.sentToClipboard', defaultMessage: 'Sent to the guest clipboard' },
  scale: { id: 'console.scale', defaultMessage: 'Scale' },
  scaling: { id: 'console.scaling', defaultMessage: 'Scaling' },
  fit: { id: 'console.scaling.fit', defaultMessage: 'Fit to window' },
  native: { id: 'console.scaling.native', defaultMessage: '1:1 (scroll)' },
  remote: { id: 'console.scaling.remote', defaultMessage: 'Resize the guest’s screen' },
  whoElse: { id: 'console.viewers.title', defaultMessage: 'Who else is on this console' },
  onThisConsole: { id: 'console.viewers.heading', defaultMessage: 'On this console' },
  onlyYou: { id: 'console.viewers.onlyYou', defaultMessage: 'Only you.' },
  someone: { id: 'console.viewers.someone', defaultMessage: 'someone' },
  unknownAddress: { id: 'console.viewers.unknownAddress', defaultMessage: 'unknown address' },
  viewing: { id: 'console.viewers.viewing', defaultMessage: 'viewing · ' },
  paste: { id: 'console.paste', defaultMessage: 'Paste' },
  pasteTitle: { id: 'console.pasteTitle', defaultMessage: 'Paste (Ctrl+Shift+V)' },
  textToSend: { id: 'console.paste.text', defaultMessage: 'Text to send' },
  sendAs: { id: 'console.paste.sendAs', defaultMessage: 'Send as' },
  asClipboard: { id: 'console.paste.clipboard', defaultMessage: 'Clipboard (guest agent or VNC clipboard)' },
  asKeystrokes: { id: 'console.paste.keystrokes', defaultMessage: 'Keystrokes (typed into the guest)' },
  sendToGuest: { id: 'console.paste.send', defaultMessage: 'Send to guest' },
  guestClipboard: { id: 'console.paste.guestClipboard', defaultMessage: 'Guest clipboard' },
  copyToMine: { id: 'console.paste.copy', defaultMessage: 'Copy to my clipboard' },
  asking: { id: 'console.overlay.asking', defaultMessage: 'Asking for a console…' },
  connectingGuest: { id: 'console.overlay.connecting', defaultMessage: 'Connecting to the guest…' },
  connectingConsole: { id: 'console.overlay.connectingConsole', defaultMessage: 'Connecting to the console…' },
  startGuest: { id: 'console.overlay.start', defaultMessage: 'Start the guest' },
  startFailed: { id: 'console.overlay.startFailed', defaultMessage: 'The guest did not start' },
  reconnectNow: { id: 'console.overlay.reconnectNow', defaultMessage: 'Reconnect now' },
  backToDashboard: { id: 'console.overlay.backToDashboard', defaultMessage: 'Back to dashboard' },
});

export const retrying = defineMessage<{ seconds: number; attempt: number; max: number }>({ id: 'console.overlay.retrying', defaultMessage: 'Reconnecting in {seconds}s (attempt {attempt} of {max}) with a fresh ticket.' });
export const documentTitle = defineMessage<{ name: string }>({ id: 'console.documentTitle', defaultMessage: '{name} · console · Nexus' });

export const reconnectingIn = defineMessage<{ seconds: number }>({ id: 'console.status.reconnectingIn', defaultMessage: 'Reconnecting in {seconds}s' });
export const typing = defineMessage<{ count: number }>({ id: 'console.typing', defaultMessage: 'Typing {count} characters…' });
export const scaleLabel = defineMessage<{ value: string }>({ id: 'console.scaleLabel', defaultMessage: 'Scale: {value}' });
export const othersWatching = defineMessage<{ count: number }>({ id: 'console.viewers.others', defaultMessage: '{count} {count, plural, one {other} other {others}} watching' });
export const shareOf = defineMessage<{ who: string; address: string }>({ id: 'console.viewers.shareOf', defaultMessage: 'Share link of {who} ({address})' });
export const you = defineMessage<{ who: string }>({ id: 'console.viewers.you', defaultMessage: '{who} (you)' });
export const guestFallback = defineMessage<{ vmid: number }>({ id: 'console.guest', defaultMessage: 'Guest {vmid}' });

export const closed = defineMessages({
  normal: { id: 'console.closed.normal', defaultMessage: 'The console was closed' },
  goingAway: { id: 'console.closed.goingAway', defaultMessage: 'Nexus is restarting' },
  protocolError: { id: 'console.closed.protocolError', defaultMessage: 'The console stream was malformed' },
  messageTooBig: { id: 'console.closed.messageTooBig', defaultMessage: 'Too much was sent at once (over 1 MiB)' },
  vmStopped: { id: 'console.closed.vmStopped', defaultMessage: 'The guest is not running' },
  takenOver: { id: 'console.closed.takenOver', defaultMessage: 'Someone else took over this console' },
  revoked: { id: 'console.closed.revoked', defaultMessage: 'Your access to this console was revoked' },
  idle: { id: 'console.closed.idle', defaultMessage: 'Closed after a period without input' },
  proxmoxUnreachable: { id: 'console.closed.proxmoxUnreachable', defaultMessage: 'Proxmox is unreachable' },
  stalled: { id: 'console.closed.stalled', defaultMessage: 'The connection stalled' },
  handshakeTimeout: { id: 'console.closed.handshakeTimeout', defaultMessage: 'The console did not become ready in time' },
  closedByProxmox: { id: 'console.closed.closedByProxmox', defaultMessage: 'Proxmox ended the console' },
  internal: { id: 'console.closed.internal', defaultMessage: 'Nexus hit an unexpected error' },
  lost: { id: 'console.closed.lost', defaultMessage: 'The connection was lost' },
});

export const closedWithCode = defineMessage<{ code: number }>({ id: 'console.closed.code', defaultMessage: 'The console closed (code {code})' });

export const refused = defineMessages({
  'console.disabled': { id: 'console.refused.disabled', defaultMessage: 'Your role has no console in this tenant' },
  'console.limit_reached': { id: 'console.refused.limitReached', defaultMessage: 'Too many consoles are open right now' },
  'console.too_many_tickets': { id: 'console.refused.tooManyTickets', defaultMessage: 'Other console windows of yours are still opening' },
  'console.rate_limited': { id: 'console.refused.rateLimited', defaultMessage: 'Too many consoles opened in the last minute' },
  'policy.forbidden': { id: 'console.refused.forbidden', defaultMessage: 'You may not open this console' },
  'vm.not_found': { id: 'console.refused.vmNotFound', defaultMessage: 'This guest does not exist (any more)' },
  'vm.not_running': { id: 'console.refused.vmNotRunning', defaultMessage: 'The guest is not running' },
  'server.inactive': { id: 'console.refused.serverInactive', defaultMessage: 'This server is deactivated' },
  'tenant.inactive': { id: 'console.refused.tenantInactive', defaultMessage: 'This tenant is deactivated' },
  'network.unreachable': { id: 'console.refused.unreachable', defaultMessage: 'Nexus is unreachable' },
  'share.not_found': { id: 'console.refused.shareNotFound', defaultMessage: 'This share link is invalid or has expired' },
  'share.locked': { id: 'console.refused.shareLocked', defaultMessage: 'This share link is locked after too many wrong PINs' },
  'share.disabled': { id: 'console.refused.shareDisabled', defaultMessage: 'This share link is switched off' },
  'share.pin_invalid': { id: 'console.refused.pinInvalid', defaultMessage: 'Wrong PIN' },
  'share.pin_required': { id: 'console.refused.pinRequired', defaultMessage: 'This link needs its PIN' },
  proxmox: { id: 'console.refused.proxmox', defaultMessage: 'Proxmox could not open the console' },
  other: { id: 'console.refused.other', defaultMessage: 'The console could not be opened' },
});
