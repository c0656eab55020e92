// The Proxmox API explorer: forwards one request to the registered server's /api2/json/<path>,
// through the same client as everything else (pinned TLS, deadline, size cap, no redirects, an
// `api` metric per call). Nothing of the browser's request is passed on but the checked path and
// parameters — no headers, no cookies — and the answer is our JSON, so hop-by-hop and other
// upstream headers never reach the browser. Every write is audited. What may be relayed, for
// whom, is common/explorer-policy.ts: endpoints that mint tickets or tokens or reach inside
// guests are refused for everyone (and audited), managers and viewers get a read allowlist.
import { explorerVerdict } from '@common/explorer-policy';
import type { ExplorerBody, ExplorerResult } from '@common/schemas/explorer';
import type { TenantContext } from '../../http/context';
import { AppError, isAppError } from '../../lib/app-error';
import { authorize } from '../../policy/policy';
import type { HttpMethod, PveParams } from '../../proxmox';
import type { AuditService } from '../audit/audit.service';
import type { ServerDirectory } from '../servers/server-directory';
import { checkParam, EXPLORER_LIMITS, explorerTarget } from './explorer-path';

export interface ExplorerDeps {
  servers: ServerDirectory;
  audit: AuditService;
}

export class ExplorerService {
  constructor(private readonly d: ExplorerDeps) {}

  async forward(
    ctx: TenantContext,
    serverId: string,
    method: HttpMethod,
    rawUrl: string,
    body: ExplorerBody,
  ): Promise<ExplorerResult> {
    const tenantId = ctx.scope.tenantId;
    const server = await this.d.servers.find(tenantId, serverId);
    if (!server) throw new AppError('server.not_found', 'Server not found');
    const target = explorerTarget(rawUrl);
    if (!target.ok) throw new AppError('explorer.path_refused', `Path refused: ${target.reason}`);
    // Admins are who may write (tenant and global admins); everyone else reads from the allowlist.
    const admin = authorize(ctx.actor, 'explorer:write', { kind: 'tenant', scope: ctx.scope }).allowed;
    const verdict = explorerVerdict(method, target.path, admin ? 'admin' : 'member');
    if (!verdict.allowed) {
      if (verdict.code === 'explorer.endpoint_denied') {
        await this.d.audit.recordAlone(ctx.audit, {
          tenantId,
          action: 'explorer.refused',
          targetType: 'server',
          targetId: serverId,
          result: 'denied',
          details: { method, path: target.path, serverName: server.name, rule: verdict.rule },
        });
      }
      throw new AppError(verdict.code, `Nexus does not relay ${method} ${target.path}: ${verdict.reason}`, {
        details: { rule: verdict.rule },
      });
    }
    // A registered "server" could be any TLS service on the operator's network: relay only from
    // one whose current endpoint answered /version like Proxmox, with its token accepted.
    if (!server.verified) {
      throw new AppError(
        'explorer.server_unverified',
        'This server has not proven to be Proxmox at its current address: run a connectivity test (or wait for the next health check) first',
      );
    }
    const form = method === 'POST' || method === 'PUT' ? checkedForm(body, target.query) : undefined;

    const write = method !== 'GET';
    const audit = (result: 'success' | 'failure', extra: Record<string, unknown>) =>
      this.d.audit.recordAlone(ctx.audit, {
        tenantId,
        action: 'explorer.write',
        targetType: 'server',
        targetId: serverId,
        result,
        // Parameter names only: values may be passwords or keys meant for Proxmox.
        details: {
          method,
          path: target.path,
          serverName: server.name,
          params: [...Object.keys(target.query), ...Object.keys(form ?? {})],
          ...extra,
        },
      });
    try {
      const conn = await this.d.servers.connect(tenantId, serverId);
      const res = await conn.request(method, target.path, { query: target.query, form });
      if (write) await audit('success', { status: res.status });
      return { status: res.status, data: res.data, elapsedMs: Math.round(res.elapsedMs) };
    } catch (err) {
      if (write) await audit('failure', { error: isAppError(err) ? err.code : 'http.internal' });
      throw err;
    }
  }
}

/** Body parameters: same name rules as the query, booleans as 1/0, none given twice. */
function checkedForm(body: ExplorerBody, query: Record<string, string>): PveParams {
  const form: Record<string, string | number | boolean> = {};
  const entries = Object.entries(body ?? {});
  if (entries.length + Object.keys(query).length > EXPLORER_LIMITS.params) {
    throw new AppError('http.bad_request', 'Too many parameters');
  }
  for (const [key, value] of entries) {
    const problem =
      checkParam(key, String(value)) ?? (Object.hasOwn(query, key) ? `parameter '${key}' is given twice` : null);
    if (problem) throw new AppError('http.bad_request', problem);
    form[key] = value;
  }
  return form;
}
