// Forwards every audit row to a SIEM, in order, never skipping one: to syslog (RFC 5424 over
// TCP or TLS, octet-counted frames as RFC 6587 has them) and/or a signed webhook. Each sink keeps
// a cursor (the last delivered `seq`) in the database, advanced only after a row was handed
// over, so a restart or an outage resumes where it stopped; a failure is retried with back-off.
// Global admins set the sinks (a webhook secret sealed with the master key, never shown; a new
// URL needs it again). Runs on one instance at a time (a lease). Outbound sockets go through
// lib/outbound.ts (the egress policy at dial time, TLS verified).

import type net from 'node:net';
import os from 'node:os';
import type { AuditForwardingBody } from '@common/schemas/alerts';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import type { Executor } from '../../db/tx';
import type { AuthedContext } from '../../http/context';
import type { Clock } from '../../lib/clock';
import { type MasterKeyring, openWithMaster, resealUnder, sealWithMaster } from '../../lib/crypto/master-keyring';
import { systemResolver } from '../../lib/egress';
import { LeasedLoop } from '../../lib/leased-loop';
import type { Logger } from '../../lib/logger';
import { connectOutbound } from '../../lib/outbound';
import { requireSecretForNewUrl } from '../alerts/alert-rules';
import { errorText, postSigned } from '../alerts/alert-transports';
import { AuditRepo, type AuditRow } from './audit.repo';
import type { AuditService } from './audit.service';

type Sink = 'syslog' | 'webhook';
const SINKS: Sink[] = ['syslog', 'webhook'];
const CONFIG_KEY = 'audit.forwarding';
const cursorKey = (sink: Sink) => `audit.forward.${sink}`;
const SECRET_CONTEXT = 'audit-forward:webhook';
const BATCH = 100;
const TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 300_000;
/** The test line's action (sent to the sinks only, never written to the audit log). */
const TEST_ACTION = 'audit.forwarding_test';

interface Stored {
  syslog: { url: string; caPem: string | null; enabled: boolean } | null;
  webhook: { url: string; secretSealed: string | null; enabled: boolean } | null;
}
interface Cursor {
  seq: number;
  at: number | null;
  error: string | null;
}

const EMPTY: Stored = { syslog: null, webhook: null };

/** An RFC 5424 structured-data parameter value: `"`, `\` and `]` escaped. */
const sdValue = (v: unknown) => String(v ?? '-').replace(/["\\\]]/g, (c) => `\\${c}`);

/** One audit row as an RFC 5424 message (facility 13, log audit), octet-counted (RFC 6587). */
export function syslogFrame(row: AuditRow, host = os.hostname()): string {
  const severity = row.result === 'success' ? 5 : 4;
  const msgid = row.action.replace(/[^\x21-\x7e]/g, '_').slice(0, 32);
  const sd = `[nexus@32473 seq="${row.seq}" tenant="${sdValue(row.tenant_id)}" actor="${sdValue(row.actor_label)}" ip="${sdValue(row.actor_ip)}" result="${sdValue(row.result)}" target="${sdValue(row.target_id)}"]`;
  const body = JSON.stringify({
    seq: row.seq,
    id: row.id,
    tenantId: row.tenant_id,
    actorUserId: row.actor_user_id,
    actor: row.actor_label,
    ip: row.actor_ip,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    result: row.result,
    details: row.details ? JSON.parse(row.details) : null,
    hash: row.hash,
  });
  const msg = `<${13 * 8 + severity}>1 ${new Date(Number(row.created_at)).toISOString()} ${host.replace(/\s/g, '') || '-'} nexus ${process.pid} ${msgid} ${sd} ${body}`;
  return `${Buffer.byteLength(msg)} ${msg}`;
}

export class AuditForwarder {
  private readonly repo: AuditRepo;
  private readonly loop: LeasedLoop;
  private socket: { url: string; s: net.Socket } | null = null;
  private readonly retryAt = new Map<Sink, { at: number; failures: number }>();

  constructor(
    private readonly d: {
      db: Kysely<Database>;
      repo: AuditRepo;
      audit: AuditService;
      keyring: MasterKeyring;
      clock: Clock;
      log: Logger;
      config: Pick<Config, 'allowedTargets'>;
      instanceId: string;
    },
  ) {
    this.repo = d.repo;
    this.loop = new LeasedLoop(d.db, d.log, { name: 'audit.forward', holder: d.instanceId, everyMs: 1000 }, () =>
      this.tick(),
    );
  }

  private async read<T>(key: string, fallback: T): Promise<T> {
    const raw = await this.repo.readKv(this.d.db, key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  }

  private write(db: Executor, key: string, value: unknown): Promise<void> {
    return this.repo.writeKv(db, key, JSON.stringify(value), this.d.clock.now());
  }

  private egress() {
    return { lists: [this.d.config.allowedTargets], resolve: systemResolver };
  }

  async view() {
    const stored = await this.read<Stored>(CONFIG_KEY, EMPTY);
    const last = (await this.repo.last(this.d.db))?.seq ?? 0;
    const status = async (sink: Sink) => {
      const c = await this.read<Cursor>(cursorKey(sink), { seq: 0, at: null, error: null });
      return {
        lastSeq: c.seq,
        lastSentAt: c.at === null ? null : new Date(c.at).toISOString(),
        lastError: c.error,
        behind: Math.max(0, last - c.seq),
      };
    };
    return {
      syslog: stored.syslog
        ? {
            url: stored.syslog.url,
            hasCa: stored.syslog.caPem !== null,
            enabled: stored.syslog.enabled,
            status: await status('syslog'),
          }
        : null,
      webhook: stored.webhook
        ? {
            url: stored.webhook.url,
            hasSecret: stored.webhook.secretSealed !== null,
            enabled: stored.webhook.enabled,
            status: await status('webhook'),
          }
        : null,
    };
  }

  async update(ctx: AuthedContext, body: z.infer<typeof AuditForwardingBody>) {
    const stored = await this.read<Stored>(CONFIG_KEY, EMPTY);
    const next: Stored = { ...stored };
    const moved: Sink[] = [];
    if (body.syslog !== undefined) {
      next.syslog = body.syslog
        ? {
            url: body.syslog.url,
            caPem: body.syslog.caPem === undefined ? (stored.syslog?.caPem ?? null) : body.syslog.caPem,
            enabled: body.syslog.enabled,
          }
        : null;
      if (next.syslog?.url !== stored.syslog?.url) moved.push('syslog');
    }
    if (body.webhook !== undefined) {
      const w = body.webhook;
      const urlChanged = w !== null && w.url !== stored.webhook?.url;
      if (w) requireSecretForNewUrl(urlChanged, w.secret !== undefined, Boolean(stored.webhook?.secretSealed));
      next.webhook = w
        ? {
            url: w.url,
            secretSealed:
              w.secret === undefined
                ? (stored.webhook?.secretSealed ?? null)
                : w.secret === null
                  ? null
                  : sealWithMaster(this.d.keyring, Buffer.from(w.secret, 'utf8'), SECRET_CONTEXT),
            enabled: w.enabled,
          }
        : null;
      if (urlChanged || w === null) moved.push('webhook');
    }
    await this.d.db.transaction().execute(async (trx) => {
      await this.write(trx, CONFIG_KEY, next);
      // A new destination gets the whole log from the start.
      for (const sink of moved) await this.write(trx, cursorKey(sink), { seq: 0, at: null, error: null });
      await this.d.audit.record(trx, ctx.audit, {
        action: 'audit.forwarding_changed',
        targetType: 'audit',
        details: {
          syslog: next.syslog ? { url: next.syslog.url, enabled: next.syslog.enabled } : null,
          webhook: next.webhook ? { url: next.webhook.url, enabled: next.webhook.enabled } : null,
          webhookSecretChanged: body.webhook?.secret !== undefined,
        },
      });
    });
    this.closeSocket();
    this.retryAt.clear();
    return this.view();
  }

  /** Sends one test line to each configured sink now. */
  async test() {
    const stored = await this.read<Stored>(CONFIG_KEY, EMPTY);
    const probe: AuditRow = {
      id: 'test',
      seq: 0,
      tenant_id: null,
      actor_user_id: null,
      actor_label: 'system',
      actor_ip: null,
      user_agent: null,
      action: TEST_ACTION,
      target_type: null,
      target_id: null,
      result: 'success',
      details: null,
      created_at: this.d.clock.now(),
      prev_hash: '',
      hash: '',
      hash_key_id: null,
    };
    const attempt = async (sink: Sink) => {
      try {
        await this.send(sink, stored, [probe]);
        return { ok: true, error: null };
      } catch (err) {
        return { ok: false, error: errorText(err) };
      }
    };
    return {
      syslog: stored.syslog ? await attempt('syslog') : null,
      webhook: stored.webhook ? await attempt('webhook') : null,
    };
  }

  private async send(sink: Sink, stored: Stored, rows: AuditRow[]): Promise<void> {
    if (sink === 'syslog' && stored.syslog) {
      const s = await this.syslogSocket(stored.syslog);
      const data = rows.map((r) => syslogFrame(r)).join('');
      await new Promise<void>((resolve, reject) => s.write(data, (err) => (err ? reject(err) : resolve())));
      return;
    }
    if (sink === 'webhook' && stored.webhook) {
      let secret: string | null = null;
      if (stored.webhook.secretSealed) {
        const plain = openWithMaster(this.d.keyring, stored.webhook.secretSealed, SECRET_CONTEXT);
        // Never unsigned instead: the receiver would take the rows as not from Nexus, or worse.
        if (!plain) throw new Error('the key that sealed the webhook secret is gone: set the secret again');
        secret = plain.toString('utf8');
      }
      const body = JSON.stringify({
        event: 'audit.batch',
        occurredAt: new Date(this.d.clock.now()).toISOString(),
        data: { rows: rows.map((r) => ({ ...r, details: r.details ? JSON.parse(r.details) : null })) },
      });
      await postSigned(stored.webhook.url, {
        body,
        contentType: 'application/json',
        secret,
        egress: this.egress(),
        timeoutMs: TIMEOUT_MS,
      });
    }
  }

  private async syslogSocket(target: NonNullable<Stored['syslog']>): Promise<net.Socket> {
    if (this.socket && this.socket.url === target.url && !this.socket.s.destroyed) return this.socket.s;
    this.closeSocket();
    const url = new URL(target.url);
    const s = await connectOutbound({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port),
      tls: url.protocol === 'tls:',
      ca: target.caPem,
      egress: this.egress(),
      timeoutMs: TIMEOUT_MS,
    });
    s.on('error', () => s.destroy());
    // The peer hung up: nothing more may be written there (it would be lost unread).
    s.on('end', () => s.destroy());
    s.on('close', () => {
      if (this.socket?.s === s) this.socket = null;
    });
    this.socket = { url: target.url, s };
    return s;
  }

  private closeSocket(): void {
    this.socket?.s.end();
    this.socket = null;
  }

  /** Sends what each enabled sink has not had yet, in order, in batches. */
  async tick(): Promise<void> {
    const stored = await this.read<Stored>(CONFIG_KEY, EMPTY);
    for (const sink of SINKS) {
      const target = stored[sink];
      if (!target?.enabled) continue;
      const wait = this.retryAt.get(sink);
      if (wait && wait.at > Date.now()) continue;
      const cursor = await this.read<Cursor>(cursorKey(sink), { seq: 0, at: null, error: null });
      for (let i = 0; i < 10; i++) {
        const rows = await this.repo.after(this.d.db, cursor.seq, BATCH);
        if (rows.length === 0) break;
        try {
          await this.send(sink, stored, rows);
        } catch (err) {
          const failures = (wait?.failures ?? 0) + 1;
          this.retryAt.set(sink, { at: Date.now() + Math.min(1000 * 2 ** failures, MAX_BACKOFF_MS), failures });
          if (sink === 'syslog') this.closeSocket();
          await this.write(this.d.db, cursorKey(sink), { ...cursor, error: errorText(err) });
          this.d.log.warn({ sink, error: errorText(err) }, 'audit forwarding failed');
          break;
        }
        this.retryAt.delete(sink);
        cursor.seq = rows[rows.length - 1]?.seq ?? cursor.seq;
        cursor.at = this.d.clock.now();
        cursor.error = null;
        await this.write(this.d.db, cursorKey(sink), cursor);
      }
    }
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.closeSocket();
  }
}

/** Master-key rotation (in its transaction): the forwarding webhook's secret sealed again. */
export async function resealForwardingSecret(
  trx: Executor,
  keyring: Pick<MasterKeyring, 'find'>,
  target: { id: string; key: Buffer },
  dialect: Dialect,
  now: number,
): Promise<number> {
  const repo = new AuditRepo(dialect);
  const raw = await repo.readKv(trx, CONFIG_KEY);
  const stored = raw ? (JSON.parse(raw) as Stored) : EMPTY;
  if (!stored.webhook?.secretSealed) return 0;
  const resealed = resealUnder(keyring, target, stored.webhook.secretSealed, SECRET_CONTEXT);
  if (resealed === null) return 0;
  stored.webhook.secretSealed = resealed;
  await repo.writeKv(trx, CONFIG_KEY, JSON.stringify(stored), now);
  return 1;
}
