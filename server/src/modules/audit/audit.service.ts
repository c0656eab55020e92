// One helper for every audit write: mutations call `record` inside their own transaction, so
// the change and its audit row commit together or not at all. Details are redacted here.
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { lockNamed } from '../../db/tx';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import { AuditRepo, type AuditRow } from './audit.repo';
import {
  type AuditKey,
  formatHead,
  GENESIS_HASH,
  headMac,
  keyedAuditHash,
  legacyAuditHash,
  parseHead,
} from './audit-chain';
import type { AuditKeyring } from './audit-keys';

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

/** A run of consecutive rows hashed the same way: plain SHA-256 (before keying) or one HMAC key. */
export interface ChainSegment {
  fromSeq: number;
  toSeq: number;
  algorithm: 'sha256' | 'hmac-sha256';
  /** The chain key (`ak-…`), null for the unkeyed rows from before keying. */
  keyId: string | null;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: { seq: number; id: string | null; reason: string };
  /** Which key each stretch of the chain uses (as far as it was checked). */
  segments: ChainSegment[];
  /**
   * The verified head: written down outside the database now and then, it anchors the chain
   * against what no key can show (a database returned wholesale to an older state).
   */
  head: { seq: number; hash: string } | null;
}

const HEAD_KEY = 'audit.head';

export class AuditService {
  private readonly repo: AuditRepo;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly keys: AuditKeyring,
    /** Told of every row inside its transaction (alerts write their outbox there). */
    private readonly observe: (trx: Transaction<Database>, row: AuditRow) => Promise<void> = async () => {},
  ) {
    this.repo = new AuditRepo(dialect);
  }

  get repository(): AuditRepo {
    return this.repo;
  }

  async record(trx: Transaction<Database>, ctx: AuditContext, entry: AuditEntry): Promise<void> {
    const key = this.keys.current();
    const row = await this.repo.append(
      trx,
      {
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
      },
      key,
    );
    await this.writeHead(trx, key, row);
    await this.observe(trx, row);
  }

  /** The head lets verify notice deleted last rows, which the chain alone cannot show. */
  private async writeHead(trx: Transaction<Database>, key: AuditKey, row: AuditRow): Promise<void> {
    const head = formatHead(key, row.seq, row.hash);
    await this.repo.writeKv(trx, HEAD_KEY, head, row.created_at);
  }

  /** For events that change nothing else (a failed login, a denial). */
  recordAlone(ctx: AuditContext, entry: AuditEntry): Promise<void> {
    return this.db.transaction().execute((trx) => this.record(trx, ctx, entry));
  }

  /**
   * At start: a chain that still ends in unkeyed rows (written before keying) gets a keyed row
   * on top, whose HMAC covers the last unkeyed hash, so those rows are protected from now on and
   * the head carries a MAC. Only a chain without any keyed row is sealed this way.
   */
  async seal(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockNamed(trx, this.dialect, 'nexus.audit_chain');
      const last = await this.repo.last(trx);
      if (!last || last.hash_key_id !== null) return;
      await this.record(trx, SYSTEM_CONTEXT, {
        action: 'audit.chain_keyed',
        details: { unkeyedRows: last.seq, keyId: this.keys.current().id },
      });
    });
  }

  /**
   * Walks the chain: consecutive `seq`, each `prev_hash` the previous row's hash, each hash
   * recomputed (SHA-256 for rows from before keying, which may only precede keyed ones; the
   * named key's HMAC after), and the head's MAC. Names the first row that fails.
   */
  async verify(): Promise<VerifyResult> {
    let expectedSeq = 1;
    let prev = GENESIS_HASH;
    let checked = 0;
    let keyed = false;
    const segments: ChainSegment[] = [];
    const broken = (seq: number, id: string | null, reason: string): VerifyResult => ({
      ok: false,
      checked,
      brokenAt: { seq, id, reason },
      segments,
      head: null,
    });
    // Read first: rows appended while the walk runs come after the head and are still checked.
    const headValue = await this.repo.readKv(this.db, HEAD_KEY);
    const head = headValue ? parseHead(headValue) : null;
    let hashAtHead: string | null = null;
    const keys = new Map<string, AuditKey | undefined>();
    const keyFor = async (id: string) => {
      if (!keys.has(id)) keys.set(id, await this.keys.find(id));
      return keys.get(id);
    };

    for await (const row of this.repo.walk(this.db)) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, null, `row ${expectedSeq} is missing`);
      if (row.prev_hash !== prev) return broken(row.seq, row.id, 'previous-hash link does not match');
      const { hash, ...rest } = row;
      if (row.hash_key_id === null) {
        if (keyed) return broken(row.seq, row.id, 'unkeyed row after keyed rows (re-chained without the key?)');
        if (legacyAuditHash(rest) !== hash) return broken(row.seq, row.id, 'row content does not match its hash');
      } else {
        const key = await keyFor(row.hash_key_id);
        if (!key) return broken(row.seq, row.id, `hash key ${row.hash_key_id} is not available (master key missing?)`);
        if (keyedAuditHash(key, rest) !== hash) {
          return broken(row.seq, row.id, 'row content does not match its keyed hash');
        }
        keyed = true;
      }
      const segment = segments.at(-1);
      if (segment && segment.keyId === row.hash_key_id) segment.toSeq = row.seq;
      else {
        segments.push({
          fromSeq: row.seq,
          toSeq: row.seq,
          algorithm: row.hash_key_id === null ? 'sha256' : 'hmac-sha256',
          keyId: row.hash_key_id,
        });
      }
      if (head && row.seq === head.seq) hashAtHead = hash;
      prev = hash;
      expectedSeq++;
      checked++;
    }
    if (checked === 0 && !head) return { ok: true, checked, segments, head: null };
    if (!head) return broken(expectedSeq - 1, null, 'the head pointer is missing');
    if (head.seq >= expectedSeq) return broken(expectedSeq, null, `row ${expectedSeq} is missing`);
    if (hashAtHead !== head.hash) return broken(head.seq, null, 'last row does not match the head pointer');
    if (!head.keyId || !head.mac) {
      return broken(head.seq, null, 'the head pointer is not keyed (start Nexus once to seal an unkeyed chain)');
    }
    const headKey = await keyFor(head.keyId);
    if (!headKey) return broken(head.seq, null, `hash key ${head.keyId} of the head is not available`);
    if (headMac(headKey, head.seq, head.hash) !== head.mac) {
      return broken(head.seq, null, 'the head pointer was forged');
    }
    return { ok: true, checked, segments, head: { seq: head.seq, hash: head.hash } };
  }

  list = (filter: Parameters<AuditRepo['list']>[1]): Promise<AuditRow[]> => this.repo.list(this.db, filter);
}
