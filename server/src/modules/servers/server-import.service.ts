// CSV import and export of a tenant's servers (DESIGN.md §6): the pure parser and planner are in
// server-import.ts; this applies a plan under the tenant's lock, so the limit holds against
// concurrent writers, and audits it as one row.
import type { CreateServerBody, ImportResult } from '@common/schemas/servers';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { lockNamed } from '../../db/tx';
import type { TenantContext } from '../../http/context';
import { visibleServerIds } from '../../policy/policy';
import type { AuditService } from '../audit/audit.service';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { type ImportCandidate, parseServerCsv, planImport, serversCsv } from './server-import';
import { type ServerWrites, settingsProblem } from './server-writes';
import type { ServerRow, ServersRepo } from './servers.repo';

export interface ServerImportDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  repo: ServersRepo;
  writes: ServerWrites;
  settings: TenantSettingsReader;
  audit: AuditService;
}

export class ServerImportService {
  constructor(private readonly d: ServerImportDeps) {}

  async importCsv(ctx: TenantContext, csv: string, dryRun: boolean): Promise<ImportResult> {
    const tenantId = ctx.scope.tenantId;
    const settings = await this.d.settings.get(tenantId);
    const parsed = parseServerCsv(csv);
    const insecure = parsed.candidates.filter((c) => (c.body.tlsMode ?? settings.defaultTlsMode) === 'insecure');
    if (insecure.length > 0) {
      await this.d.writes.requireInsecureRight(ctx, 'insecure', { import: true, lines: insecure.map((c) => c.line) });
    }
    const check = (body: CreateServerBody) => {
      const p = settingsProblem({
        tlsMode: body.tlsMode ?? settings.defaultTlsMode,
        fingerprint: body.tlsFingerprint ?? null,
        useTailscale: body.useTailscale ?? false,
        tailscaleHostname: body.tailscaleHostname ?? null,
      });
      return p ? `${p.path === 'tlsFingerprint' ? 'tls_fingerprint' : 'tailscale_hostname'}: ${p.message}` : null;
    };
    const byLine = (a: { line: number }, b: { line: number }) => a.line - b.line;
    if (dryRun) {
      const plan = planImport(
        parsed.candidates,
        await this.d.repo.hostPorts(this.d.db, tenantId),
        await this.d.repo.count(this.d.db, tenantId),
        settings.maxServers,
        check,
      );
      return {
        dryRun: true,
        created: 0,
        servers: plan.accepted.map((p) => ({ line: p.line, id: null, name: p.body.name, host: p.host, port: p.port })),
        errors: [...parsed.errors, ...plan.errors].sort(byLine),
      };
    }
    // Seal every valid line's secret first (no crypto inside the transaction), then decide
    // again under the tenant's lock, so the limit holds against concurrent writers.
    const prepared = new Map<ImportCandidate, ServerRow>();
    for (const c of parsed.candidates) {
      if (check(c.body)) continue;
      prepared.set(c, await this.d.writes.newRow(tenantId, c.body, settings, ctx.actor.userId));
    }
    const outcome = await this.d.writes.withDuplicateGuard(() =>
      this.d.db.transaction().execute(async (trx) => {
        await lockNamed(trx, this.d.dialect, `servers:${tenantId}`);
        const plan = planImport(
          parsed.candidates,
          await this.d.repo.hostPorts(trx, tenantId),
          await this.d.repo.count(trx, tenantId),
          settings.maxServers,
          check,
        );
        const created: { line: number; row: ServerRow }[] = [];
        for (const p of plan.accepted) {
          const candidate = parsed.candidates.find((c) => c.line === p.line);
          const row = candidate ? prepared.get(candidate) : undefined;
          if (!row) continue;
          await this.d.repo.insert(trx, row);
          created.push({ line: p.line, row });
        }
        await this.d.audit.record(trx, ctx.audit, {
          tenantId,
          action: 'server.imported',
          targetType: 'tenant',
          targetId: tenantId,
          details: {
            created: created.length,
            refused: parsed.errors.length + plan.errors.length,
            servers: created.map((c) => ({ id: c.row.id, name: c.row.name, host: c.row.host, port: c.row.port })),
          },
        });
        return { created, errors: [...parsed.errors, ...plan.errors].sort(byLine) };
      }),
    );
    for (const c of outcome.created) await this.d.writes.publish(c.row, 'server.created');
    return {
      dryRun: false,
      created: outcome.created.length,
      servers: outcome.created.map((c) => ({
        line: c.line,
        id: c.row.id,
        name: c.row.name,
        host: c.row.host,
        port: c.row.port,
      })),
      errors: outcome.errors,
    };
  }

  async exportCsv(ctx: TenantContext): Promise<string> {
    return serversCsv(await this.d.repo.list(this.d.db, ctx.scope.tenantId, visibleServerIds(ctx.scope)));
  }
}
