// Builds API server objects field by field (never the token secret, never a new column by default).
import type { ServerStatus } from '@common/events';
import type { Server, TlsMode } from '@common/schemas/servers';
import { toIso } from '@common/time';
import { dialHost } from './server-connector';
import type { ServerRow } from './servers.repo';

export function presentServer(row: ServerRow, can: Server['can']): Server {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    host: row.host,
    port: row.port,
    dialHost: dialHost(row),
    tokenId: row.token_id,
    tlsMode: row.tls_mode as TlsMode,
    tlsFingerprint: row.tls_fingerprint,
    caPem: row.ca_pem,
    useTailscale: row.use_tailscale === 1,
    tailscaleHostname: row.tailscale_hostname,
    connectionTimeoutMs: row.connection_timeout_ms,
    isActive: row.is_active === 1,
    status: row.connection_status as ServerStatus,
    statusChangedAt: toIso(row.status_changed_at),
    lastHealthCheckAt: toIso(row.last_health_check_at),
    healthCheckError: row.health_check_error,
    avgResponseTimeMs: row.avg_response_time_ms === null ? null : Number(row.avg_response_time_ms),
    successRate: row.success_rate === null ? null : Number(row.success_rate),
    learnedTimeoutMs: row.learned_timeout_ms,
    consecutiveFailures: row.consecutive_failures,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    can,
  };
}
