// A real SMTP server on loopback (smtp-server) that receives Nexus's mail: STARTTLS with a
// certificate from its own CA (written to a file for NEXUS_SMTP_CA_FILE), AUTH required and
// refused before TLS, every accepted message kept with whether it came over TLS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createClusterCa, createNodeCert } from '../../pve-sim/http/tls-certs';
import { registerSecret } from './secrets';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  secure: boolean;
  user: string | null;
}

export interface SmtpSink {
  port: number;
  /** NEXUS_SMTP_URL, NEXUS_MAIL_FROM and NEXUS_SMTP_CA_FILE for the app. */
  env: Record<string, string>;
  mails: ReceivedMail[];
  /** Refuse (or accept again) every message with a temporary error. */
  setDown(down: boolean): void;
  waitFor(pred: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const USER = 'nexus-mailer';

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) back to text; folded lines joined. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const password = `smtp-${Math.random().toString(36).slice(2)}-secret`;
  registerSecret(password, 'SMTP password');
  const ca = await createClusterCa('smtp-sink');
  const identity = await createNodeCert(ca, 'mail', '127.0.0.1');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-smtp-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, ca.cert);
  const mails: ReceivedMail[] = [];
  let down = false;
  const server = new SMTPServer({
    key: identity.key,
    cert: identity.cert,
    logger: false,
    // Plain AUTH is refused until STARTTLS (smtp-server's default): a client that skipped TLS fails.
    allowInsecureAuth: false,
    onAuth(auth, _session, cb) {
      if (auth.username === USER && auth.password === password) cb(null, { user: USER });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (down) {
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
          cb(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const [folded = '', ...body] = raw.split(/\r?\n\r?\n/);
        const head = folded.replace(/\r?\n[ \t]+/g, ' ');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeHeader(/^Subject: (.*)$/im.exec(head)?.[1]?.trim() ?? ''),
          text: body.join('\n\n'),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    env: {
      NEXUS_SMTP_URL: `smtp://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
      NEXUS_MAIL_FROM: 'Nexus <alerts@nexus.test>',
      NEXUS_SMTP_CA_FILE: caFile,
    },
    mails,
    setDown(d) {
      down = d;
    },
    async waitFor(pred, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = mails.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no such mail; got: ${mails.map((m) => m.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
