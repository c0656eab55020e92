// vncproxy's credentials as qemu-server ≥ 9.1.7 issues them: an 8-character VNC password of
// printable ASCII, and a ticket `<password>:PVEVNC:<hex time>::<signature>`. The generator makes
// sure every ticket contains `+`, `/`, `=` and `;`, so a client that forgets to percent-encode
// it fails here exactly as it would against some real tickets.
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { hex8 } from '../model/tasks';

const PRINTABLE_FIRST = 0x21; // '!'
const PRINTABLE_LAST = 0x7e; // '~'

function password(): string {
  const chars = Array.from({ length: 8 }, () => String.fromCharCode(randomInt(PRINTABLE_FIRST, PRINTABLE_LAST + 1)));
  // A ';' somewhere in the first part: form decoding splits on it when the ticket is not encoded.
  chars[randomInt(0, 8)] = ';';
  return chars.join('');
}

export interface VncCredentials {
  password: string;
  ticket: string;
}

/** assemble_vnc_ticket's `PVEVNC:<hex time>::<signature>`, bound to authid, ACL path and port.
 * `key` signs the ticket (the cluster's authkey stands for PVE's RSA key). */
function signedTicket(key: Buffer, prefix: string, authid: string, path: string, port: number, nowMs: number): string {
  const plain = `${prefix}PVEVNC:${hex8(Math.floor(nowMs / 1000))}`;
  for (;;) {
    const signature = createHmac('sha256', key)
      .update(`${plain}\0${authid}\0${path}\0${port}\0`)
      .update(randomBytes(8))
      .digest('base64');
    const ticket = `${plain}::${signature}`;
    // A 32-byte signature in base64 always ends in '='; retry until '+' and '/' appear too.
    if (ticket.includes('+') && ticket.includes('/')) return ticket;
  }
}

export function issueVncCredentials(
  key: Buffer,
  authid: string,
  vmid: number,
  port: number,
  nowMs: number,
): VncCredentials {
  const pw = password();
  return { password: pw, ticket: signedTicket(key, `${pw}:`, authid, `/vms/${vmid}`, port, nowMs) };
}

/** termproxy's ticket: a plain PVEVNC ticket (no VNC password in front), for `/vms/<vmid>` or
 * `/nodes/<node>`. It contains `+`, `/` and `=` like every ticket here. */
export function issueTermTicket(key: Buffer, authid: string, path: string, port: number, nowMs: number): string {
  return signedTicket(key, '', authid, path, port, nowMs);
}
