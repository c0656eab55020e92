// Prometheus metrics (prom-client), one registry per app instance so tests can run several.
// Modules record through the typed handles here; `GET /metrics` renders them.
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'nexus_' });
  // Every metric is registered in this instance's registry; labels are typed from the names.
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new client.Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new client.Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new client.Histogram<L>({ name, help, labelNames, buckets, registers });
  const m = {
    registry,
    httpDuration: histogram(
      'nexus_http_request_duration_seconds',
      'HTTP request latency by route pattern, method and status',
      ['route', 'method', 'status'] as const,
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    httpRequests: counter('nexus_http_requests_total', 'HTTP requests by route pattern, method and status', [
      'route',
      'method',
      'status',
    ] as const),
    activeConsoles: gauge('nexus_active_consoles', 'Console sessions currently relayed by this instance'),
    relayBytes: counter('nexus_console_relay_bytes_total', 'Bytes relayed between browsers and Proxmox consoles', [
      'direction',
    ] as const),
    healthChecks: counter('nexus_health_checks_total', 'Health checks by resulting server status', ['status'] as const),
    serversByStatus: gauge('nexus_servers', 'Registered servers by connection status (as last seen by this instance)', [
      'status',
    ] as const),
    proxmoxDuration: histogram(
      'nexus_proxmox_request_duration_seconds',
      'Latency of calls to Proxmox VE servers',
      ['method', 'outcome'] as const,
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
    proxmoxErrors: counter('nexus_proxmox_errors_total', 'Failed calls to Proxmox VE servers by error code', [
      'code',
    ] as const),
    connectionsRefused: counter(
      'nexus_connections_refused_total',
      'Connections closed at once because their address already held NEXUS_MAX_CONNECTIONS_PER_IP',
    ),
    alertDeliveries: counter(
      'nexus_alert_delivery_attempts_total',
      'Outbound alert delivery attempts (e-mail, webhooks) by outcome: sent, retry, failed (given up)',
      ['channel', 'outcome'] as const,
    ),
    recordingBytes: gauge('nexus_recording_bytes', 'Bytes of console recordings stored, per tenant', [
      'tenant',
    ] as const),
    recordingsFailed: counter(
      'nexus_recordings_failed_total',
      'Consoles whose recording failed or was refused (storage full, not writable)',
    ),
    sseClients: gauge('nexus_event_stream_clients', 'Open Server-Sent Event streams on this instance'),
  };
  // Present from the first scrape, so dashboards and alerts see zeros rather than nothing.
  for (const direction of ['to_browser', 'to_proxmox'] as const) m.relayBytes.labels(direction).inc(0);
  for (const channel of ['email', 'webhook', 'personal'] as const) {
    for (const outcome of ['sent', 'retry', 'failed'] as const) m.alertDeliveries.labels(channel, outcome).inc(0);
  }
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
