// Talking to a server on a person's request: the certificate probe (trust on first use) and the
// connectivity test with its diagnosis. Both dial out, so both pass the egress policy, and a
// refused dial is audited.
import type { ServerStatus } from '@common/events';
import type { ServerTestResult } from '@common/schemas/servers';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { TenantContext } from '../../http/context';
import { isAppError } from '../../lib/app-error';
import type { Logger } from '../../lib/logger';
import {
  type CertificateInfo,
  cleanText,
  type ProxmoxConnection,
  PveClusterResources,
  PvePermissions,
  PveVersion,
} from '../../proxmox';
import type { AuditService } from '../audit/audit.service';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { FAILURE_THRESHOLD, nextStatus } from './health-policy';
import { failureOf, type HealthScheduler } from './health-scheduler';
import { abilitiesOf, diagnose } from './permission-diagnosis';
import { dialHost, type ServerConnector, tenantTargets } from './server-connector';
import { DEFAULT_PORT, type ServerWrites } from './server-writes';
import type { ServerRow, ServersRepo } from './servers.repo';

export interface ServerDiagnosticsDeps {
  db: Kysely<Database>;
  repo: ServersRepo;
  writes: ServerWrites;
  connector: ServerConnector;
  health: HealthScheduler;
  settings: TenantSettingsReader;
  audit: AuditService;
  log: Logger;
}

export class ServerDiagnostics {
  constructor(private readonly d: ServerDiagnosticsDeps) {}

  async probe(ctx: TenantContext, host: string, port: number | undefined): Promise<CertificateInfo> {
    const settings = await this.d.settings.get(ctx.scope.tenantId);
    try {
      return await this.d.connector.proxmox.probeCertificate(host, port ?? DEFAULT_PORT, {
        timeoutMs: settings.defaultConnectionTimeoutMs,
        allowedTargets: tenantTargets(settings.allowedTargets),
      });
    } catch (err) {
      await this.auditRefusal(ctx, err, 'probe', { host, port: port ?? DEFAULT_PORT });
      throw err;
    }
  }

  /** A dial the egress policy refused, on a person's request (probe, test): audited. */
  private async auditRefusal(
    ctx: TenantContext,
    err: unknown,
    operation: 'probe' | 'test',
    details: Record<string, unknown>,
    serverId: string | null = null,
  ): Promise<void> {
    if (!isAppError(err) || err.code !== 'server.target_refused') return;
    await this.d.audit.recordAlone(ctx.audit, {
      tenantId: ctx.scope.tenantId,
      action: 'server.target_refused',
      targetType: 'server',
      targetId: serverId,
      result: 'denied',
      details: { operation, ...details },
    });
  }

  /**
   * Connectivity test: version and latency, the certificate seen, and what the token may do.
   * Failures are answered (ok: false, with a diagnosis), not thrown; the result counts as a
   * health check, so a fixed server shows online at once.
   */
  async test(ctx: TenantContext, serverId: string): Promise<ServerTestResult> {
    return this.run(ctx, await this.d.writes.require(ctx.scope.tenantId, serverId), true);
  }

  /** The same test for a server not saved yet (its row as it would be stored); records nothing. */
  checkDraft(ctx: TenantContext, row: ServerRow): Promise<ServerTestResult> {
    return this.run(ctx, row, false);
  }

  private async run(ctx: TenantContext, row: ServerRow, saved: boolean): Promise<ServerTestResult> {
    const serverId = row.id;
    const result: ServerTestResult = {
      ok: false,
      status: row.connection_status as ServerStatus,
      latencyMs: null,
      version: null,
      release: null,
      fingerprint: null,
      pinMatches: null,
      permissions: null,
      guestsVisible: null,
      diagnosis: [],
      error: null,
    };
    const started = performance.now();
    let conn: ProxmoxConnection;
    try {
      conn = await this.d.connector.connect(row);
      const version = await conn.request('GET', '/version', {}, { schema: PveVersion, metric: false });
      result.ok = true;
      result.latencyMs = Math.round(version.elapsedMs * 10) / 10;
      // Text from the server: printable and short, whatever it sent.
      result.version = cleanText(version.data.version, 64);
      result.release = version.data.release == null ? null : cleanText(version.data.release, 64);
      result.fingerprint = version.peerFingerprint;
      result.pinMatches = row.tls_mode === 'pinned' ? true : null;
      if (saved) {
        await this.d.health.record(row, {
          ok: true,
          elapsedMs: version.elapsedMs,
          errorCode: null,
          error: null,
          tlsMismatch: null,
        });
      } else {
        result.status = 'online';
      }
    } catch (err) {
      const failure = failureOf(err, performance.now() - started);
      result.error = { code: failure.errorCode ?? 'proxmox.error', message: failure.error ?? 'failed' };
      if (failure.tlsMismatch) {
        result.fingerprint = failure.tlsMismatch.actual;
        result.pinMatches = false;
      }
      result.diagnosis = this.explainFailure(row, failure.errorCode, failure.tlsMismatch?.actual ?? null);
      result.status = saved
        ? ((await this.d.health.record(row, failure)) ?? result.status)
        : nextStatus('unknown', { ...failure, ok: false }, FAILURE_THRESHOLD, row.connection_timeout_ms);
      if (isAppError(err) && err.code === 'server.target_refused') {
        const where = { name: row.name, host: dialHost(row), port: row.port };
        await this.auditRefusal(ctx, err, 'test', where, saved ? row.id : null);
        throw err;
      }
      if (!isAppError(err)) this.d.log.error({ err, serverId }, 'connectivity test failed unexpectedly');
      return result;
    }
    try {
      const perms = await conn.get('/access/permissions', undefined, { schema: PvePermissions, metric: false });
      result.permissions = abilitiesOf(perms);
      if (result.permissions.listGuests) {
        const guests = await conn.get(
          '/cluster/resources',
          { type: 'vm' },
          { schema: PveClusterResources, metric: false },
        );
        result.guestsVisible = guests.length;
      }
      result.diagnosis = diagnose(perms, result.guestsVisible);
    } catch (err) {
      result.diagnosis = [
        `The version answered, but reading the token's permissions failed: ${(err as Error).message}`,
      ];
    }
    if (saved) {
      const fresh = await this.d.repo.find(this.d.db, row.tenant_id, row.id);
      result.status = (fresh?.connection_status as ServerStatus | undefined) ?? result.status;
    }
    return result;
  }

  private explainFailure(row: ServerRow, code: string | null, presented: string | null): string[] {
    const where = `${row.use_tailscale === 1 && row.tailscale_hostname ? row.tailscale_hostname : row.host}:${row.port}`;
    switch (code) {
      case 'proxmox.auth_failed':
        return [
          'Proxmox rejected the API token: check that it exists, is not expired, and that the whole secret was entered.',
        ];
      case 'proxmox.permission_denied':
        return [
          'The token was accepted but may not read the version: give it at least one role (e.g. PVEAuditor on /).',
        ];
      case 'proxmox.tls_mismatch':
        return [
          row.tls_fingerprint
            ? `The certificate no longer matches the pinned fingerprint (it is now ${presented ?? 'unknown'}). If the certificate was renewed on purpose, check the new fingerprint on the Proxmox host and re-pin it; otherwise someone may be intercepting the connection.`
            : 'No fingerprint is pinned yet: probe the server and confirm its certificate fingerprint.',
        ];
      case 'proxmox.tls_error':
        return [
          'The certificate could not be verified against the CA: give the right CA certificate, or pin the fingerprint instead.',
        ];
      case 'proxmox.timeout':
        return [
          `${where} did not answer within ${row.connection_timeout_ms} ms: the server or the network is overloaded, or a firewall drops the traffic.`,
        ];
      case 'proxmox.unreachable':
        return [`Cannot connect to ${where}: check the host, the port (usually 8006) and that pveproxy is running.`];
      case 'server.target_refused':
        return [`The operator's egress policy does not let Nexus connect to ${where}.`];
      case 'server.credentials_unreadable':
        return ['The stored token cannot be decrypted (was the master key changed?): enter the API token again.'];
      default:
        return ['The server answered, but not as a Proxmox VE API does: is this the right host and port?'];
    }
  }
}
