// Console recordings (DESIGN.md §9 "Recordings"): whether a console is recorded (tenant setting
// `consoleRecording`, or `consoleRecordingForced` by a global admin), its row and file key before
// the relay starts, its end when the console closes, and the tenant's side: list, player data,
// delete, retention, disk usage. The relay writes the file (recording-writer.ts), wherever it
// runs. Who sees what: tenant and global admins all of the tenant's; everyone else their own.
import { Readable } from 'node:stream';
import type { RecordingDetail, Recording as RecordingView } from '@common/schemas/recordings';
import { isRecorded } from '@common/schemas/tenants';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import type { TenantContext } from '../../http/context';
import { AppError, notFound } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import { LeasedLoop } from '../../lib/leased-loop';
import type { Logger } from '../../lib/logger';
import type { Metrics } from '../../lib/metrics';
import { auditReach, mayReplayOwn, recordingReach } from '../../policy/policy';
import { type AuditContext, type AuditService, SYSTEM_CONTEXT } from '../audit/audit.service';
import type { CredentialVault } from '../servers/credential-vault';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { chunkRange, playerStream } from './player-stream';
import { ChunkFlag, RecordingFormatError } from './recording-format';
import { RecordingReader } from './recording-reader';
import type { RecordingStorage } from './recording-storage';
import type { RecordingOutcome, RecordingSpec } from './recording-writer';
import { type RecordingListRow, type RecordingRow, RecordingsRepo } from './recordings.repo';

export interface RecordingsDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  log: Logger;
  audit: AuditService;
  settings: TenantSettingsReader;
  vault: Pick<CredentialVault, 'derivedKey'>;
  storage: RecordingStorage;
  /** NEXUS_RECORDINGS_MIN_FREE_MB: below this much free space a console is not recorded (it still
   * opens). Read at each console (the config object). */
  limits: { minFreeBytes: number };
  instanceId: string;
  metrics?: Pick<Metrics, 'recordingBytes' | 'recordingsFailed'>;
}

/** The console a recording is asked for. */
export interface RecordedConsole {
  consoleId: string;
  tenantId: string;
  userId: string | null;
  shareId: string | null;
  serverId: string;
  vmid: number | null;
  node: string | null;
  kind: 'vnc' | 'terminal';
  audit: AuditContext;
}

export interface RecordingsTuning {
  /** How often a recorded console asks Proxmox for a whole picture (a seek replays at most this). */
  keyframeEveryMs: number;
  /** A recording whose file has not changed for this long belongs to a stopped instance
   * (writers touch their file every minute). */
  staleAfterMs: number;
  /** Retention and recovery rounds. */
  roundEveryMs: number;
}

const DAY = 86_400_000;

export class RecordingsService {
  readonly repo = new RecordingsRepo();
  tuning: RecordingsTuning = { keyframeEveryMs: 10_000, staleAfterMs: 3 * 60_000, roundEveryMs: 10 * 60_000 };
  private readonly loop: LeasedLoop;

  constructor(private readonly d: RecordingsDeps) {
    this.loop = new LeasedLoop(
      d.db,
      d.log,
      { name: 'recordings', holder: d.instanceId, everyMs: this.tuning.roundEveryMs },
      () => this.round(),
    );
  }

  /** Recovery of what a previous run left, then retention in the background. With SQLite only
   * one instance runs, so every recording still marked as recording was cut off by a crash. */
  async start(): Promise<void> {
    await this.recoverStale(this.d.dialect === 'sqlite' ? 0 : this.tuning.staleAfterMs).catch((err: unknown) =>
      this.d.log.warn({ err }, 'could not recover interrupted recordings'),
    );
    await this.refreshUsage().catch(() => {});
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  // ---- recording ---------------------------------------------------------------------------------

  /** What the relay needs to record this console; null when the tenant does not record, or
   * storage refused (the row then says why and the refusal is audited). */
  async prepare(c: RecordedConsole): Promise<RecordingSpec | null> {
    const settings = await this.d.settings.get(c.tenantId);
    if (!isRecorded(settings)) return null;
    const id = newId();
    const now = this.d.clock.now();
    const { file, name } = this.d.storage.place(c.tenantId, id);
    const row = {
      id,
      tenant_id: c.tenantId,
      console_id: c.consoleId,
      user_id: c.userId,
      share_id: c.shareId,
      server_id: c.serverId,
      vmid: c.vmid,
      node: c.node,
      kind: c.kind,
      file: name,
      started_at: now,
      bytes: 0,
    };
    let refusal: string | null = null;
    let key: { keyId: string; key: Buffer } | null = null;
    try {
      if ((await this.d.storage.freeBytes()) < this.d.limits.minFreeBytes) refusal = 'recording storage is full';
      else key = await this.d.vault.derivedKey(c.tenantId, `recording|${id}`);
    } catch (err) {
      this.d.log.warn({ err, tenantId: c.tenantId }, 'cannot record a console');
      refusal = 'recording storage failed';
    }
    if (refusal || !key) {
      const error = refusal ?? 'recording storage failed';
      await this.d.db.transaction().execute(async (trx) => {
        await this.repo.insert(trx, { ...row, status: 'failed', key_id: '', ended_at: now, duration_ms: 0, error });
        await this.auditFailure(trx, c.audit, { ...row, error });
      });
      return null;
    }
    await this.repo.insert(this.d.db, { ...row, status: 'recording', key_id: key.keyId });
    return {
      id,
      tenantId: c.tenantId,
      kind: c.kind,
      file,
      key: key.key,
      keyId: key.keyId,
      startedAt: now,
      maskKeys: settings.recordingMaskKeys,
      keyframeEveryMs: c.kind === 'vnc' ? this.tuning.keyframeEveryMs : 0,
    };
  }

  /** The console closed: the recording is listed from now on. Without an outcome the relay
   * either never started (nothing recorded: the row goes) or its worker died (what reached the
   * file is kept, as after a crash). */
  async finish(spec: RecordingSpec, outcome: RecordingOutcome | undefined, audit: AuditContext): Promise<void> {
    if (!outcome) {
      const row = await this.repo.find(this.d.db, spec.tenantId, spec.id);
      if (!row) return;
      if ((await this.d.storage.size(row.file)) === null) await this.repo.delete(this.d.db, spec.id);
      else await this.recoverOne(row);
      return;
    }
    const end = {
      status: outcome.error ? 'failed' : 'complete',
      endedAt: this.d.clock.now(),
      durationMs: outcome.durationMs,
      bytes: outcome.bytes,
      error: outcome.error,
    };
    await this.d.db.transaction().execute(async (trx) => {
      const ended = await this.repo.finish(trx, spec.id, end);
      if (ended && outcome.error) {
        const row = await this.repo.find(trx, spec.tenantId, spec.id);
        if (row) await this.auditFailure(trx, audit, { ...row, error: outcome.error });
      }
    });
    await this.refreshUsage(spec.tenantId).catch(() => {});
  }

  private async auditFailure(
    trx: Parameters<AuditService['record']>[0],
    ctx: AuditContext,
    row: Pick<RecordingRow, 'id' | 'tenant_id' | 'console_id' | 'server_id' | 'vmid' | 'kind'> & { error: string },
  ): Promise<void> {
    this.d.metrics?.recordingsFailed.inc();
    await this.d.audit.record(trx, ctx, {
      tenantId: row.tenant_id,
      action: 'recording.failed',
      targetType: 'recording',
      targetId: row.id,
      result: 'failure',
      details: {
        consoleId: row.console_id,
        serverId: row.server_id,
        vmid: row.vmid,
        kind: row.kind,
        reason: row.error,
      },
    });
  }

  // ---- the tenant's side -------------------------------------------------------------------------

  async list(ctx: TenantContext, query: { serverId?: string; limit: number }): Promise<RecordingView[]> {
    const all = recordingReach(ctx.actor, ctx.scope) === 'all';
    const filter = {
      tenantId: ctx.scope.tenantId,
      userId: all ? undefined : ctx.actor.userId,
      serverId: query.serverId,
      limit: query.limit,
    };
    // One's own recordings only of consoles one may still open: page on past those left out.
    const rows: RecordingListRow[] = [];
    for (let offset = 0; rows.length < query.limit; offset += query.limit) {
      const page = await this.repo.list(this.d.db, { ...filter, offset });
      rows.push(...page.filter((r) => all || this.mayReplay(ctx, r)));
      if (page.length < query.limit) break;
    }
    return rows.slice(0, query.limit).map((r) => this.present(r, all));
  }

  async detail(ctx: TenantContext, id: string): Promise<RecordingDetail> {
    const { row, all } = await this.visible(ctx, id);
    const reader = await this.reader(row);
    const keyframesMs: number[] = [];
    const input: RecordingDetail['input'] = [];
    try {
      for (const c of reader?.index.chunks ?? []) {
        if (c.flags & ChunkFlag.Keyframe) keyframesMs.push(c.startMs);
        const keys = (c.flags & ChunkFlag.Keys) !== 0;
        const clicks = (c.flags & ChunkFlag.Clicks) !== 0;
        if (keys || clicks) input.push({ atMs: c.startMs, keys, clicks });
      }
    } finally {
      await reader?.close();
    }
    // The timeline shows what the caller could read in the audit log: everyone's doings on the
    // guest, or (without the tenant's audit log, or limited to one's own there) only their own.
    const everyone = auditReach(ctx.actor, ctx.scope) === 'all';
    const events = await this.guestEvents(row, everyone ? undefined : ctx.actor.userId);
    return { ...this.present(row, all), keyframesMs, input, events };
  }

  /** The player's stream (see RecordingDataQuery): a graphical console's records in the asked
   * range, a terminal's whole asciicast v2 file. */
  async data(
    ctx: TenantContext,
    id: string,
    query: { from: number; chunk?: number; to: number },
  ): Promise<{ contentType: string; body: Readable; fileName: string; nextChunk: number | null }> {
    const { row } = await this.visible(ctx, id);
    const reader = await this.reader(row);
    if (!reader) throw new AppError('recording.unreadable', 'This recording has no data (its storage failed)');
    let key: Buffer;
    try {
      key = (await this.d.vault.derivedKey(row.tenant_id, `recording|${row.id}`, row.key_id)).key;
    } catch (err) {
      await reader.close();
      throw new AppError('recording.unreadable', 'This recording cannot be decrypted', { cause: err });
    }
    const terminal = row.kind === 'terminal';
    const range = terminal ? { start: 0, end: reader.index.chunks.length - 1, next: null } : chunkRange(reader, query);
    return {
      contentType: terminal ? 'application/x-asciicast' : 'application/octet-stream',
      body: Readable.from(playerStream(reader, key, terminal ? 'terminal' : 'vnc', range, this.d.log)),
      fileName: `recording-${row.id}.${terminal ? 'cast' : 'nxplay'}`,
      nextChunk: range.next,
    };
  }

  async delete(ctx: TenantContext, id: string): Promise<void> {
    const { row } = await this.visible(ctx, id);
    if (row.status === 'recording') throw new AppError('recording.in_progress', 'This console is still being recorded');
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.delete(trx, row.id);
      await this.d.audit.record(trx, ctx.audit, {
        tenantId: row.tenant_id,
        action: 'recording.deleted',
        targetType: 'recording',
        targetId: row.id,
        details: {
          consoleId: row.console_id,
          serverId: row.server_id,
          vmid: row.vmid,
          userId: row.user_id,
          startedAt: new Date(row.started_at).toISOString(),
        },
      });
    });
    await this.d.storage.remove(row.file);
    await this.refreshUsage(row.tenant_id).catch(() => {});
  }

  /** Bytes and recordings the tenant stores (stats), for those who see all its recordings. */
  async usageFor(ctx: TenantContext): Promise<{ bytes: number; count: number } | null> {
    if (recordingReach(ctx.actor, ctx.scope) !== 'all') return null;
    const [u] = await this.repo.usage(this.d.db, ctx.scope.tenantId);
    return { bytes: u?.bytes ?? 0, count: u?.count ?? 0 };
  }

  /** A tenant is deleted: its files go with its rows. */
  removeTenant(tenantId: string): Promise<void> {
    return this.d.storage.removeTenant(tenantId);
  }

  // ---- background --------------------------------------------------------------------------------

  async round(): Promise<void> {
    await this.recoverStale(this.tuning.staleAfterMs);
    await this.enforceRetention();
    await this.refreshUsage();
  }

  /** Recordings whose writer is gone (its instance crashed or was killed): playable up to their
   * last whole chunk, marked `interrupted` (`failed` when nothing was written). */
  async recoverStale(olderThanMs: number): Promise<number> {
    let recovered = 0;
    const now = Date.now(); // file times are wall-clock
    for (const row of await this.repo.unfinished(this.d.db)) {
      const modified = await this.d.storage.modifiedAt(row.file);
      if (modified !== null && now - modified < olderThanMs) continue;
      if (modified === null && this.d.clock.now() - row.started_at < olderThanMs) continue;
      if (await this.recoverOne(row)) recovered++;
    }
    if (recovered > 0) this.d.log.info({ recovered }, 'recovered interrupted console recordings');
    return recovered;
  }

  private async recoverOne(row: RecordingRow): Promise<boolean> {
    const reader = await this.reader(row);
    const last = reader?.index.chunks.at(-1);
    await reader?.close();
    return this.repo.finish(this.d.db, row.id, {
      status: last ? 'interrupted' : 'failed',
      endedAt: row.started_at + (last?.endMs ?? 0),
      durationMs: last?.endMs ?? 0,
      bytes: (await this.d.storage.size(row.file)) ?? 0,
      error: last ? 'the recording stopped with its relay' : 'the relay stopped before anything was recorded',
    });
  }

  /** Deletes recordings older than each tenant's `recordingRetentionDays` (one audit row per
   * tenant and round). */
  async enforceRetention(): Promise<number> {
    let removed = 0;
    for (const tenantId of await this.repo.tenantsWithRecordings(this.d.db)) {
      const settings = await this.d.settings.get(tenantId);
      const before = this.d.clock.now() - settings.recordingRetentionDays * DAY;
      for (;;) {
        const rows = await this.repo.expired(this.d.db, tenantId, before, 200);
        if (rows.length === 0) break;
        await this.d.db.transaction().execute(async (trx) => {
          for (const row of rows) await this.repo.delete(trx, row.id);
          await this.d.audit.record(trx, SYSTEM_CONTEXT, {
            tenantId,
            action: 'recording.expired',
            targetType: 'tenant',
            targetId: tenantId,
            details: { count: rows.length, retentionDays: settings.recordingRetentionDays },
          });
        });
        for (const row of rows) await this.d.storage.remove(row.file);
        removed += rows.length;
      }
    }
    return removed;
  }

  /** The per-tenant disk usage gauge. */
  async refreshUsage(tenantId?: string): Promise<void> {
    const gauge = this.d.metrics?.recordingBytes;
    if (!gauge) return;
    const usage = await this.repo.usage(this.d.db, tenantId);
    if (tenantId && usage.length === 0) gauge.labels(tenantId).set(0);
    for (const u of usage) gauge.labels(u.tenantId).set(u.bytes);
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** The recording if the caller may see it; another's (for a member) is "not found". */
  private async visible(ctx: TenantContext, id: string): Promise<{ row: RecordingListRow; all: boolean }> {
    const all = recordingReach(ctx.actor, ctx.scope) === 'all';
    const row = await this.repo.find(this.d.db, ctx.scope.tenantId, id);
    if (!row || (!all && (row.user_id !== ctx.actor.userId || !this.mayReplay(ctx, row)))) {
      throw notFound('recording.not_found');
    }
    return { row, all };
  }

  /** A member's own recording, while they may still open that console (see mayReplayOwn). */
  private mayReplay(ctx: TenantContext, row: RecordingListRow): boolean {
    return mayReplayOwn(ctx.actor, ctx.scope, { serverId: row.server_id, vmid: row.vmid });
  }

  private async reader(row: RecordingRow): Promise<RecordingReader | null> {
    try {
      return await RecordingReader.open(this.d.storage.resolve(row.file));
    } catch (err) {
      if (!(err instanceof RecordingFormatError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return null;
    }
  }

  /** Audit events on the recorded guest while it was recorded (only `actorId`'s when given). */
  private async guestEvents(row: RecordingRow, actorId?: string): Promise<RecordingDetail['events']> {
    if (row.vmid === null) return [];
    const to = row.ended_at ?? this.d.clock.now();
    const rows = await this.d.audit.list({
      tenantId: row.tenant_id,
      from: row.started_at,
      to,
      actorUserId: actorId,
      limit: 500,
    });
    const guest = `${row.server_id}:${row.vmid}`;
    const out: RecordingDetail['events'] = [];
    for (const r of rows) {
      let details: { serverId?: unknown; vmid?: unknown } = {};
      try {
        details = JSON.parse(r.details ?? '{}') as typeof details;
      } catch {}
      const onGuest = r.target_id === guest || (details.serverId === row.server_id && details.vmid === row.vmid);
      if (!onGuest) continue;
      out.push({
        atMs: Math.max(0, Number(r.created_at) - row.started_at),
        action: r.action,
        actorEmail: r.actor_label,
        outcome: r.result,
      });
    }
    return out.sort((a, b) => a.atMs - b.atMs);
  }

  private present(r: RecordingListRow, all: boolean): RecordingView {
    return {
      id: r.id,
      userId: r.user_id,
      userEmail: r.user_email,
      shareId: r.share_id,
      consoleId: r.console_id,
      serverId: r.server_id,
      serverName: r.server_name,
      vmid: r.vmid,
      kind: r.kind === 'terminal' ? 'terminal' : 'vnc',
      status: r.status === 'failed' || r.status === 'interrupted' ? r.status : 'complete',
      error: r.error,
      startedAt: new Date(Number(r.started_at)).toISOString(),
      endedAt: r.ended_at === null ? null : new Date(Number(r.ended_at)).toISOString(),
      durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
      bytes: Number(r.bytes),
      can: { delete: all },
    };
  }
}
