// How an alert leaves Nexus: e-mail through the operator's SMTP relay (nodemailer; TLS always,
// verified — STARTTLS required on smtp://, implicit on smtps://) and webhooks (lib/outbound.ts:
// the egress policy at dial time, no redirects), with bodies for Nexus's own JSON and the chat
// presets. Errors come back as short sentences without secrets.

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WebhookPreset } from '@common/schemas/alerts';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config/config';
import type { EgressGuard } from '../../lib/egress';
import { postOutbound } from '../../lib/outbound';
import type { AlertLanguage } from './alert-messages';
import { type AlertText, describe } from './alert-rules';

export interface AlertPayload {
  event: string;
  tenantId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

const SEND_TIMEOUT_MS = 15_000;

/** An error's message made safe to store and show: one line, capped, no URL credentials. */
export function errorText(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw
    .replace(/\/\/[^/@\s]*@/g, '//…@')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

export class Mailer {
  private transporter: Transporter | null = null;

  constructor(private readonly smtp: Config['smtp']) {}

  get configured(): boolean {
    return this.smtp !== undefined;
  }

  private transport(): Transporter {
    if (!this.smtp) throw new Error('No mail relay is configured (NEXUS_SMTP_URL)');
    if (!this.transporter) {
      const url = new URL(this.smtp.url);
      const secure = url.protocol === 'smtps:';
      this.transporter = nodemailer.createTransport({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port ? Number(url.port) : secure ? 465 : 587,
        secure,
        requireTLS: !secure,
        ...(url.username
          ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
          : {}),
        tls: {
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
          ...(this.smtp.caFile ? { ca: readFileSync(this.smtp.caFile, 'utf8') } : {}),
        },
        connectionTimeout: SEND_TIMEOUT_MS,
        greetingTimeout: SEND_TIMEOUT_MS,
        socketTimeout: SEND_TIMEOUT_MS,
      });
    }
    return this.transporter;
  }

  async send(to: string[], text: AlertText): Promise<void> {
    if (!this.smtp) throw new Error('No mail relay is configured (NEXUS_SMTP_URL)');
    await this.transport().sendMail({
      from: this.smtp.from,
      to,
      subject: text.subject,
      text: `${text.lines.join('\n')}\n\n— Nexus`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  }

  close(): void {
    this.transporter?.close();
    this.transporter = null;
  }
}

/** `sha256=<hex HMAC-SHA256 of the body>`, as receivers check it. */
export const signature = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** The request a preset makes of an alert. */
export function webhookRequest(
  preset: WebhookPreset,
  payload: AlertPayload,
  language: AlertLanguage = 'en',
): { body: string; contentType: string; headers?: Record<string, string> } {
  const text = describe(payload.event, payload.data, language);
  const plain = [text.subject, ...text.lines].join('\n');
  switch (preset) {
    case 'slack':
      return { body: JSON.stringify({ text: plain }), contentType: 'application/json' };
    case 'discord':
      return { body: JSON.stringify({ content: plain.slice(0, 2000) }), contentType: 'application/json' };
    case 'teams':
      // Teams workflows ("Post to a channel when a webhook request is received") take an Adaptive Card.
      return {
        body: JSON.stringify({
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              content: {
                $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
                type: 'AdaptiveCard',
                version: '1.4',
                body: [
                  { type: 'TextBlock', text: text.subject, weight: 'Bolder', wrap: true },
                  ...text.lines.map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
                ],
              },
            },
          ],
        }),
        contentType: 'application/json',
      };
    case 'ntfy':
      return {
        body: text.lines.join('\n') || text.subject,
        contentType: 'text/plain; charset=utf-8',
        // Header values must be Latin-1: the title is reduced to ASCII.
        headers: { title: text.subject.replace(/[^\x20-\x7e]/g, '?'), tags: 'nexus' },
      };
    case 'gotify':
      return {
        body: JSON.stringify({ title: text.subject, message: text.lines.join('\n'), priority: 5 }),
        contentType: 'application/json',
      };
    default:
      return { body: JSON.stringify(payload), contentType: 'application/json' };
  }
}

export async function postWebhook(
  target: { url: string; preset: WebhookPreset; secret: string | null; language?: AlertLanguage },
  payload: AlertPayload,
  egress: EgressGuard,
): Promise<void> {
  const req = webhookRequest(target.preset, payload, target.language);
  await postSigned(target.url, {
    body: req.body,
    contentType: req.contentType,
    headers: { 'x-nexus-event': payload.event, ...req.headers },
    secret: target.secret,
    egress,
  });
}

/**
 * POSTs a body signed with `secret` (when there is one) and fails unless the receiver answers
 * 2xx: alert webhooks and the audit forwarder's webhook.
 */
export async function postSigned(
  url: string,
  o: {
    body: string;
    contentType: string;
    headers?: Record<string, string> | undefined;
    secret: string | null;
    egress: EgressGuard;
    timeoutMs?: number;
  },
): Promise<void> {
  const res = await postOutbound(url, {
    body: o.body,
    headers: {
      'content-type': o.contentType,
      ...(o.secret ? { 'x-nexus-signature': signature(o.secret, o.body) } : {}),
      ...o.headers,
    },
    egress: o.egress,
    timeoutMs: o.timeoutMs ?? SEND_TIMEOUT_MS,
  });
  if (res.status < 200 || res.status >= 300) {
    const hint = res.body.replace(/\s+/g, ' ').slice(0, 120);
    throw new Error(`the receiver answered HTTP ${res.status}${hint ? `: ${hint}` : ''}`);
  }
}
