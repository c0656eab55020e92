// The real entry point (server/src/main.ts) as a process: bad configuration exits at once naming
// every problem; SIGTERM drains — readiness turns false, in-flight requests finish, exit 0.
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from './helpers/db';
import { type NexusProcess, startNexusProcess } from './helpers/process';

const procs: NexusProcess[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
});

// One dialect is enough: this is about the process, not the database.
describe.skipIf(TEST_DIALECT !== 'sqlite')('the nexus process', () => {
  it('exits non-zero on bad configuration, naming every bad variable', async () => {
    const p = await startNexusProcess({ NEXUS_PORT: 'abc', DATABASE_URL: 'mysql://x' }, { waitReady: false });
    procs.push(p);
    expect(await p.exited).toBe(1);
    const out = p.output.join('');
    expect(out).toContain('NEXUS_PORT');
    expect(out).toContain('DATABASE_URL');
  });

  it('on another port: the setup link names that port on a line of its own, and a refused Origin says what to set (issue 16)', async () => {
    const p = await startNexusProcess({});
    procs.push(p);
    const out = p.output.join('');
    const line = out.split('\n').find((l) => l.trim().startsWith(`http://localhost:${p.port}/setup/`));
    expect(line, out).toBeDefined();
    expect(line?.trim()).toMatch(/^http:\/\/localhost:\d+\/setup\/[A-Za-z0-9_-]{43}$/);
    // Set up through the link, then write as a browser would: on 127.0.0.1 it is admitted without
    // configuration; from another origin the refusal names the settings that admit it.
    const token = line?.trim().split('/setup/')[1] ?? '';
    const setup = await fetch(`${p.url}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: 'admin@example.test', password: 'correct horse battery staple' }),
    });
    expect(setup.status).toBe(201);
    const { csrfToken } = (await setup.json()) as { csrfToken: string };
    const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const createTenant = (origin: string, slug: string) =>
      fetch(`${p.url}/api/tenants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ name: slug, slug }),
      });
    expect((await createTenant(`http://127.0.0.1:${p.port}`, 'acme')).status).toBe(201);
    expect((await createTenant(`http://localhost:${p.port}`, 'globex')).status).toBe(201);
    const elsewhere = await createTenant('http://nexus.lan:8080', 'initech');
    const body = (await elsewhere.json()) as { error: { code: string; message: string } };
    expect(elsewhere.status).toBe(403);
    expect(body.error.code).toBe('auth.origin_refused');
    expect(body.error.message).toContain('http://nexus.lan:8080');
    expect(body.error.message).toContain('NEXUS_PUBLIC_URL');
    expect(body.error.message).toContain('NEXUS_ALLOWED_ORIGINS');
    await new Promise((r) => setTimeout(r, 100));
    expect(p.output.join('')).toMatch(/"origin":"http:\/\/nexus\.lan:8080".*NEXUS_PUBLIC_URL/);
  });

  it('drains on SIGTERM: in-flight requests finish, then it exits 0', async () => {
    const p = await startNexusProcess({
      NEXUS_ADMIN_EMAIL: 'admin@example.test',
      NEXUS_ADMIN_PASSWORD: 'correct horse battery staple',
    });
    procs.push(p);
    // Sign-ins spend real time hashing, so several are in flight when the signal arrives (five:
    // at most five sign-ins of one account from one address are checked at once, issue 14).
    const inFlight = Array.from({ length: 5 }, () =>
      fetch(`${p.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@example.test', password: 'correct horse battery staple' }),
      }).then((r) => r.status),
    );
    await new Promise((r) => setTimeout(r, 30));
    p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    // Draining: still answering, but no longer ready, so load balancers stop sending.
    expect((await fetch(`${p.url}/readyz`)).status).toBe(503);
    expect(await Promise.all(inFlight)).toEqual(Array(5).fill(200));
    expect(await p.exited).toBe(0);
    expect(p.output.join('')).toMatch(/shutting down: draining requests[\s\S]*"msg":"stopped"/);
    // New connections are refused once it has stopped.
    await expect(fetch(`${p.url}/healthz`)).rejects.toThrow();
  });
});
