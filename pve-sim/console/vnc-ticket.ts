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

/** `key` signs the ticket (the cluster's authkey stands for PVE's RSA key). */
export function issueVncCredentials(
  key: Buffer,
  authid: string,
  vmid: number,
  port: number,
  nowMs: number,
): VncCredentials {
  const time = hex8(Math.floor(nowMs / 1000));
  for (;;) {
    const pw = password();
    const plain = `${pw}:PVEVNC:${time}`;
    const signature = createHmac('sha256', key)
      .update(`${plain}\0${authid}\0/vms/${vmid}\0${port}\0`)
      .update(randomBytes(8))
      .digest('base64');
    const ticket = `${plain}::${signature}`;
    // A 32-byte signature in base64 always ends in '='; retry until '+' and '/' appear too.
    if (ticket.includes('+') && ticket.includes('/')) return { password: pw, ticket };
  }
}
