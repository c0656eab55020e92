// `npm run demo`: Nexus with a seeded demo tenant wired to a few simulated Proxmox VE servers
// (pve-sim, in this process), so a newcomer sees servers, guests and a live console in a minute.
// Everything lives in a temporary data directory that is removed on exit. A demo identity
// provider (oidc-provider, on loopback) stands behind "Sign in with Demo SSO".
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPveSim } from '../pve-sim/index';
import { createApp } from '../server/src/app';
import { loadConfig } from '../server/src/config/config';
import { migrate, openDatabase } from '../server/src/db/database';
import { createLogger } from '../server/src/lib/logger';
import { startTestIdp } from '../test/helpers/oidc-idp';
import { build, buildIsCurrent, ROOT } from './build-lib.mjs';
import { seedHealthHistory } from './demo-history';
import { DEMO_HISTORY, DEMO_SCENARIO } from './demo-scenario';

const PORT = Number(process.env.NEXUS_PORT ?? 8080);
const ADMIN = { email: 'admin@nexus.demo', password: 'nexus-demo-admin' };
const PEOPLE = [
  { email: 'manager@nexus.demo', password: 'nexus-demo-manager', role: 'manager', fullName: 'Morgan Manager' },
  { email: 'viewer@nexus.demo', password: 'nexus-demo-viewer', role: 'viewer', fullName: 'Vic Viewer' },
] as const;

/** Just enough HTTP client to seed through the public API (validation, audit and all). */
class Seeder {
  private cookie = '';
  private csrf = '';
  constructor(private readonly base: string) {}

  async call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { origin: this.base };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((c) => c.includes('nexus_session='));
    if (set) this.cookie = set.split(';')[0] ?? '';
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async login(email: string, password: string): Promise<void> {
    const res = await this.call<{ csrfToken: string }>('POST', '/api/auth/login', { email, password });
    this.csrf = res.csrfToken;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!buildIsCurrent()) {
    process.stdout.write('Building the web app (first run or sources changed)…\n');
    await build({ quiet: true });
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-demo-'));
  const sim = await startPveSim({ scenario: DEMO_SCENARIO });
  const publicUrl = `http://localhost:${PORT}`;
  const idp = await startTestIdp({
    redirectUris: [`${publicUrl}/api/auth/oidc/default/callback`],
    postLogoutRedirectUris: [`${publicUrl}/login?reason=signed-out`],
  });
  for (const [name, groups] of [
    ['sso-manager', ['demo-ops']],
    ['sso-viewer', ['demo-watchers']],
  ] as const) {
    idp.users.set(name, { email: `${name}@nexus.demo`, name: name.replace('sso-', 'SSO '), groups: [...groups] });
  }
  const result = loadConfig({
    NEXUS_LOG_LEVEL: 'warn',
    NEXUS_OIDC_ISSUER: idp.issuer,
    NEXUS_OIDC_CLIENT_ID: idp.clientId,
    NEXUS_OIDC_CLIENT_SECRET: idp.clientSecret,
    NEXUS_OIDC_NAME: 'Demo SSO',
    NEXUS_OIDC_ROLE_MAP: 'demo-ops=demo-lab:manager,demo-watchers=demo-lab:viewer',
    ...process.env,
    NEXUS_PORT: String(PORT),
    NEXUS_DATA_DIR: dataDir,
    NEXUS_PUBLIC_URL: publicUrl,
    NEXUS_ALLOWED_ORIGINS: `http://127.0.0.1:${PORT}`,
    NEXUS_ADMIN_EMAIL: ADMIN.email,
    NEXUS_ADMIN_PASSWORD: ADMIN.password,
    // A throw-away key for throw-away data (no key file to warn about).
    NEXUS_MASTER_KEY: process.env.NEXUS_MASTER_KEY || randomBytes(32).toString('hex'),
    DATABASE_URL: '',
  });
  if (!result.ok) throw new Error(`demo configuration: ${result.errors.join('; ')}`);
  const config = result.config;
  const database = openDatabase(config.database);
  await migrate(database);
  const nexus = await createApp(config, {
    database,
    logger: createLogger(config.logLevel),
    webDir: path.join(ROOT, 'dist', 'web'),
  });
  await nexus.services.auth.bootstrap();
  nexus.startBackground();
  await nexus.app.listen({ port: config.port, host: config.host });

  // The demo tenant, its people and its servers, through the API like an operator would.
  const api = new Seeder(`http://127.0.0.1:${PORT}`);
  await api.login(ADMIN.email, ADMIN.password);
  const tenant = await api.call<{ id: string }>('POST', '/api/tenants', {
    name: 'Demo Lab',
    slug: 'demo-lab',
    description: 'A simulated cluster, an edge node and a backup box (pve-sim).',
  });
  await api.call('PUT', `/api/tenants/${tenant.id}/settings`, { healthCheckIntervalSeconds: 10 });
  for (const p of PEOPLE) {
    await api.call('POST', '/api/users', { email: p.email, password: p.password, fullName: p.fullName });
    await api.call('POST', `/api/tenants/${tenant.id}/members`, { email: p.email, role: p.role });
  }
  for (const s of sim.servers) {
    const server = await api.call<{ id: string }>('POST', `/api/tenants/${tenant.id}/servers`, {
      name: s.name,
      host: s.host,
      port: s.port,
      apiToken: s.token,
      tlsMode: 'pinned',
      tlsFingerprint: s.fingerprint,
    });
    const shape = DEMO_HISTORY[s.name];
    if (shape) await seedHealthHistory(database, tenant.id, server.id, shape);
  }

  const line = '─'.repeat(64);
  process.stdout.write(
    [
      '',
      line,
      `  Nexus demo is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      '',
      `  Open     ${publicUrl}/tenants/${tenant.id}`,
      `  Sign in  ${ADMIN.email} / ${ADMIN.password}   (global admin)`,
      ...PEOPLE.map((p) => `           ${p.email} / ${p.password}   (${p.role})`),
      '',
      '  Single sign-on: "Sign in with Demo SSO", then the user name sso-manager or sso-viewer',
      `  Simulated Proxmox VE servers (pinned TLS): ${sim.servers.map((s) => `${s.name} ${s.url}`).join(', ')}`,
      '  Press Ctrl+C to stop; the demo data is thrown away.',
      line,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write('\nStopping the demo…\n');
    await nexus.close().catch(() => {});
    await database.close().catch(() => {});
    await sim.close().catch(() => {});
    await idp.close().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(
    `The demo failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
