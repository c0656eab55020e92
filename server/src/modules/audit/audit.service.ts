// One helper for every audit write: mutations call `record` inside their own transaction, so
// the change and its audit row commit together or not at all. Details are redacted here.
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import { AuditRepo, type AuditRow, GENESIS_HASH, hashAuditRow } from './audit.repo';

export type AuditResult = 'success' | 'failure' | 'denied';

/** Who did it, from where. Built from the request by the HTTP layer. */
export interface AuditContext {
  userId: string | null;
  label: string | null;
  ip: string | null;
  userAgent: string | null;
}

export const SYSTEM_CONTEXT: AuditContext = { userId: null, label: 'system', ip: null, userAgent: null };

export interface AuditEntry {
  tenantId?: string | null;
  action: string; // resource.verb
  targetType?: string;
  targetId?: string | null;
  result?: AuditResult;
  details?: Record<string, unknown>;
}

const SECRET_KEY = /pass(word)?|secret|token|ticket|hash|cookie|csrf|authorization|api_?key|private/i;
const MAX_STRING = 500;

/** Replaces secret-looking fields and bounds sizes, recursively. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[truncated]';
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== null && typeof v !== 'boolean' ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: { seq: number; id: string | null; reason: string };
}

const HEAD_KEY = 'audit.head';

export class AuditService {
  private readonly repo: AuditRepo;

  constructor(
    private readonly db: Kysely<Database>,
    dialect: Dialect,
    private readonly clock: Clock,
  ) {
    this.repo = new AuditRepo(dialect);
  }

  get repository(): AuditRepo {
    return this.repo;
  }

  async record(trx: Transaction<Database>, ctx: AuditContext, entry: AuditEntry): Promise<void> {
    const row = await this.repo.append(trx, {
      id: newId(),
      tenant_id: entry.tenantId ?? null,
      actor_user_id: ctx.userId,
      actor_label: ctx.label,
      actor_ip: ctx.ip,
      user_agent: ctx.userAgent ? ctx.userAgent.slice(0, 300) : null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      result: entry.result ?? 'success',
      details: entry.details ? JSON.stringify(redact(entry.details)) : null,
      created_at: this.clock.now(),
    });
    // The head lets verify notice a deleted last row, which the chain alone cannot show.
    const head = `${row.seq}:${row.hash}`;
    await trx
      .insertInto('kv')
      .values({ key: HEAD_KEY, value: head, updated_at: row.created_at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: head, updated_at: row.created_at }))
      .execute();
  }

  /** For events that change nothing else (a failed login, a denial). */
  recordAlone(ctx: AuditContext, entry: AuditEntry): Promise<void> {
    return this.db.transaction().execute((trx) => this.record(trx, ctx, entry));
  }

  async verify(): Promise<VerifyResult> {
    let expectedSeq = 1;
    let prev = GENESIS_HASH;
    let checked = 0;
    const broken = (seq: number, id: string | null, reason: string): VerifyResult => ({
      ok: false,
      checked,
      brokenAt: { seq, id, reason },
    });
    for await (const row of this.repo.walk(this.db)) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, null, `row ${expectedSeq} is missing`);
      if (row.prev_hash !== prev) return broken(row.seq, row.id, 'previous-hash link does not match');
      const { hash, ...rest } = row;
      if (hashAuditRow(rest) !== hash) return broken(row.seq, row.id, 'row content does not match its hash');
      prev = hash;
      expectedSeq++;
      checked++;
    }
    const head = await this.db.selectFrom('kv').select('value').where('key', '=', HEAD_KEY).executeTakeFirst();
    if (head) {
      const [seqText, hash] = head.value.split(':');
      const headSeq = Number(seqText);
      if (headSeq >= expectedSeq) return broken(expectedSeq, null, `row ${expectedSeq} is missing`);
      if (headSeq === expectedSeq - 1 && hash !== prev) return broken(headSeq, null, 'last row does not match');
    }
    return { ok: true, checked };
  }

  list = (filter: Parameters<AuditRepo['list']>[1]): Promise<AuditRow[]> => this.repo.list(this.db, filter);
}
