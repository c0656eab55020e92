import Fastify, { type RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { frameworkErrorHandler, installErrorHandling } from './error-handler';

/** An app whose only route has an async constraint that fails: the router's FST_ERR_ASYNC_CONSTRAINT. */
async function appWithFailingConstraint() {
  const app = Fastify({
    frameworkErrors: frameworkErrorHandler,
    constraints: {
      tenantHeader: {
        name: 'tenantHeader',
        storage: () => {
          const map = new Map<unknown, RouteOptions['handler']>();
          return {
            get: (k: unknown) => (map.get(k) ?? null) as never,
            set: (k: unknown, v: unknown) => void map.set(k, v as RouteOptions['handler']),
          };
        },
        deriveConstraint: (_req: unknown, _ctx: unknown, done?: (err: Error | null, value?: string) => void) => {
          done?.(new Error('constraint lookup failed: secret-detail'));
        },
        validate: () => {},
        mustMatchWhenDerived: true,
      },
    },
  });
  installErrorHandling(app);
  app.get('/x', { constraints: { tenantHeader: 'a' } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('frameworkErrorHandler', () => {
  it('answers a failing async constraint with a generic 500 in the envelope', async () => {
    const app = await appWithFailingConstraint();
    const res = await app.inject({ method: 'GET', url: '/x' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error.code).toBe('http.internal');
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(res.body).not.toMatch(/FST_|secret-detail|statusCode/);
    await app.close();
  });

  it('answers an undecodable URL with 400 http.bad_request', async () => {
    const app = Fastify({ frameworkErrors: frameworkErrorHandler });
    installErrorHandling(app);
    app.get('/a/:id', async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: '/a/%zz' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('http.bad_request');
    expect(res.body).not.toContain('%zz');
    await app.close();
  });
});
