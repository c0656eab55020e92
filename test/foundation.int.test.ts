// The spine: health, readiness, the error envelope, security headers, OpenAPI, migrations.
import { validate } from '@readme/openapi-parser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../server/src/db/database';
import { startTestApp, type TestApp } from './helpers/app';
import { ApiClient } from './helpers/client';
import { createTestDatabase, TEST_DIALECT } from './helpers/db';

let t: TestApp;
let api: ApiClient;

beforeAll(async () => {
  t = await startTestApp();
  api = new ApiClient(t.url);
});
afterAll(async () => t?.close());

describe(`foundation (${TEST_DIALECT})`, () => {
  it('answers /healthz and /readyz', async () => {
    expect((await api.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await api.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'ok' });
  });

  it('says not ready while draining', async () => {
    t.nexus.state.draining = true;
    try {
      const res = await api.get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('http.unavailable');
    } finally {
      t.nexus.state.draining = false;
    }
  });

  it('answers unknown API routes with the 404 envelope and a request id', async () => {
    const res = await api.get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('http.not_found');
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers validation errors with 400 and details', async () => {
    const res = await api.post('/api/auth/login', { email: 'not-an-email', password: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('http.validation_failed');
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['email', 'password']);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await api.request('POST', '/api/auth/login', '{"email":', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('http.bad_request');
  });

  it('answers an oversized body with 413', async () => {
    const res = await api.post('/api/auth/login', { email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('http.payload_too_large');
  });

  it('sends security headers', async () => {
    const res = await api.get('/healthz');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves a valid OpenAPI 3 document covering the API', async () => {
    const res = await api.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    await expect(validate(structuredClone(res.body))).resolves.toMatchObject({ valid: true });
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/tenants/{tenantId}']));
  });

  it('turns unexpected errors into a generic 500 without the internal message', async () => {
    const { app } = t.nexus;
    const original = t.nexus.services.tenants.list;
    t.nexus.services.tenants.list = async () => {
      throw new Error('secret internal detail');
    };
    try {
      const admin = await import('./helpers/factories').then((f) => f.makeUser(t, { globalRole: 'admin' }));
      const res = await admin.client.get('/api/tenants');
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('http.internal');
      expect(res.text).not.toContain('secret internal detail');
      expect(res.body.error.message).toContain(res.body.requestId);
    } finally {
      t.nexus.services.tenants.list = original;
    }
    expect(app).toBeDefined();
  });
});

describe(`migrations (${TEST_DIALECT})`, () => {
  it('create the whole data model from empty', async () => {
    const fresh = await createTestDatabase();
    const db = fresh.open();
    try {
      const { applied } = await migrate(db);
      expect(applied).toContain('0001-initial');
      for (const table of [
        'users',
        'sessions',
        'api_tokens',
        'tenants',
        'tenant_settings',
        'user_tenant_assignments',
        'user_vm_assignments',
        'notifications',
        'notification_reads',
        'proxmox_servers',
        'connection_metrics',
        'audit_logs',
        'console_sessions',
      ]) {
        await expect(sql`select count(*) as n from ${sql.table(table)}`.execute(db.db)).resolves.toBeDefined();
      }
      expect((await migrate(db)).applied).toEqual([]);
    } finally {
      await db.close();
      await fresh.drop();
    }
  });

  it('leave the database as it was when one fails', async () => {
    const fresh = await createTestDatabase();
    const db = fresh.open();
    try {
      await migrate(db);
      const before = await sql<{ name: string }>`select name from nexus_migrations order by name`.execute(db.db);
      const failing = {
        '9999-broken': {
          async up(k: import('kysely').Kysely<unknown>) {
            await k.schema.createTable('half_done').addColumn('id', 'text').execute();
            await sql`insert into no_such_table values (1)`.execute(k);
          },
        },
      };
      await expect(migrate(db, failing)).rejects.toThrow(/9999-broken/);
      await expect(sql`select * from half_done`.execute(db.db)).rejects.toThrow();
      const after = await sql<{ name: string }>`select name from nexus_migrations order by name`.execute(db.db);
      expect(after.rows).toEqual(before.rows);
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});
