// Prometheus metrics (prom-client), one registry per app instance so tests can run several.
// Modules record through the typed handles here; `GET /metrics` renders them.
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'nexus_' });
  const m = {
    registry,
    httpDuration: new client.Histogram({
      name: 'nexus_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpRequests: new client.Counter({
      name: 'nexus_http_requests_total',
      help: 'HTTP requests by route pattern, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    activeConsoles: new client.Gauge({
      name: 'nexus_active_consoles',
      help: 'Console sessions currently relayed by this instance',
      registers: [registry],
    }),
    relayBytes: new client.Counter({
      name: 'nexus_console_relay_bytes_total',
      help: 'Bytes relayed between browsers and Proxmox consoles',
      labelNames: ['direction'] as const,
      registers: [registry],
    }),
    healthChecks: new client.Counter({
      name: 'nexus_health_checks_total',
      help: 'Health checks by resulting server status',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    serversByStatus: new client.Gauge({
      name: 'nexus_servers',
      help: 'Registered servers by connection status (as last seen by this instance)',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    proxmoxDuration: new client.Histogram({
      name: 'nexus_proxmox_request_duration_seconds',
      help: 'Latency of calls to Proxmox VE servers',
      labelNames: ['method', 'outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    proxmoxErrors: new client.Counter({
      name: 'nexus_proxmox_errors_total',
      help: 'Failed calls to Proxmox VE servers by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    connectionsRefused: new client.Counter({
      name: 'nexus_connections_refused_total',
      help: 'Connections closed at once because their address already held NEXUS_MAX_CONNECTIONS_PER_IP',
      registers: [registry],
    }),
    alertDeliveries: new client.Counter({
      name: 'nexus_alert_delivery_attempts_total',
      help: 'Outbound alert delivery attempts (e-mail, webhooks) by outcome: sent, retry, failed (given up)',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    sseClients: new client.Gauge({
      name: 'nexus_event_stream_clients',
      help: 'Open Server-Sent Event streams on this instance',
      registers: [registry],
    }),
  };
  // Present from the first scrape, so dashboards and alerts see zeros rather than nothing.
  for (const direction of ['to_browser', 'to_proxmox'] as const) m.relayBytes.labels(direction).inc(0);
  for (const channel of ['email', 'webhook', 'personal'] as const) {
    for (const outcome of ['sent', 'retry', 'failed'] as const) m.alertDeliveries.labels(channel, outcome).inc(0);
  }
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
