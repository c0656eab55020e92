// GET /metrics: Prometheus text format that parses and moves with traffic.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { ApiClient } from './helpers/client';
import { TEST_DIALECT } from './helpers/db';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

type Family = {
  name: string;
  metrics: { labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; value?: string }[];
};

async function scrape(client: ApiClient): Promise<Family[]> {
  const res = await client.get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parsePrometheusTextFormat(res.text) as Family[];
}

function requestCount(families: Family[], route: string): number {
  const f = families.find((x) => x.name === 'nexus_http_requests_total');
  return (f?.metrics ?? []).filter((m) => m.labels?.route === route).reduce((n, m) => n + Number(m.value ?? 0), 0);
}

describe(`metrics (${TEST_DIALECT})`, () => {
  it('parses as Prometheus text and counts requests by route', async () => {
    const api = new ApiClient(t.url);
    const before = requestCount(await scrape(api), '/healthz');
    for (let i = 0; i < 5; i++) await api.get('/healthz');
    const families = await scrape(api);
    expect(requestCount(families, '/healthz')).toBe(before + 5);
    const names = families.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'nexus_http_request_duration_seconds',
        'nexus_active_consoles',
        'nexus_console_relay_bytes_total',
        'nexus_event_stream_clients',
        'nexus_process_resident_memory_bytes',
      ]),
    );
  });

  it('can require a scrape token', async () => {
    const app = await startTestApp({ env: { NEXUS_METRICS_TOKEN: 'scrape-token-0123456789' } });
    try {
      const api = new ApiClient(app.url);
      expect((await api.get('/metrics')).status).toBe(401);
      api.bearer = 'scrape-token-0123456789';
      // The bearer is not a user token: only the metrics route accepts it.
      expect((await api.get('/metrics')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
