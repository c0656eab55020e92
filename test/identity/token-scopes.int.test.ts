// Personal API tokens (issue 14, finding 10): scopes `read`, `operate`, `console` decided for every
// route by its access and method in the one access path; no token manages tokens, changes the
// account or manages users; a password change revokes the user's tokens unless they are kept
// explicitly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/src/lib/ids';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { openSse } from '../helpers/sse';

let t: TestApp;
let root: TestUser;
let tenantId: string;

beforeAll(async () => {
  t = await startTestApp();
  root = await makeUser(t, { globalRole: 'admin' });
  tenantId = (await makeTenant(t, root)).id;
});
afterAll(async () => t?.close());

type Scope = 'read' | 'operate' | 'console';

async function tokenFor(user: TestUser, body: Record<string, unknown>) {
  const res = await user.client.post('/api/auth/tokens', { name: `t-${newId().slice(0, 6)}`, ...body });
  if (res.status !== 201) throw new Error(`token not created: ${res.status} ${res.text}`);
  const bot = new ApiClient(t.url);
  bot.bearer = res.body.token;
  return { id: res.body.id as string, body: res.body, bot };
}

/**
 * What this test expects each route to need from a token, written out here rather than taken
 * from the server: own credentials, the account and user management never; console tickets
 * and the console stream `console`; other reads `read`; every other write `operate`.
 */
const NEVER_VIA_TOKEN = new Set([
  'GET /api/auth/tokens',
  'POST /api/auth/tokens',
  'DELETE /api/auth/tokens/:tokenId',
  'PATCH /api/account',
  'POST /api/auth/invitations/:token/join',
  'GET /api/users',
  'POST /api/users',
  'PATCH /api/users/:userId',
  'DELETE /api/users/:userId',
  'POST /api/users/:userId/mfa/reset',
  'GET /api/admin/identity-providers',
  'POST /api/admin/identity-providers',
  'PUT /api/admin/identity-providers/:providerId',
  'DELETE /api/admin/identity-providers/:providerId',
  'GET /api/account/mfa',
  'POST /api/account/mfa/totp',
  'POST /api/account/mfa/totp/confirm',
  'DELETE /api/account/mfa/totp',
  'POST /api/account/mfa/recovery-codes',
  'GET /api/account/sessions',
  'DELETE /api/account/sessions',
  'DELETE /api/account/sessions/:sessionId',
  'GET /api/account/passkeys',
  'POST /api/account/passkeys/options',
  'POST /api/account/passkeys',
  'DELETE /api/account/passkeys/:passkeyId',
  // One's own alert e-mails, like the rest of the account.
  'PUT /api/account/alerts',
]);
const CONSOLE = new Set([
  'POST /api/tenants/:tenantId/servers/:serverId/vms/:vmid/console',
  'POST /api/tenants/:tenantId/servers/:serverId/vms/:vmid/terminal',
  'POST /api/tenants/:tenantId/servers/:serverId/nodes/:node/terminal',
  'GET /api/consoles/:ticket/ws',
  // A share link hands out a console.
  'POST /api/tenants/:tenantId/servers/:serverId/vms/:vmid/shares',
  'DELETE /api/tenants/:tenantId/servers/:serverId/vms/:vmid/shares/:shareId',
]);

function expectedScope(method: string, url: string): Scope | 'never' {
  const key = `${method} ${url}`;
  if (NEVER_VIA_TOKEN.has(key)) return 'never';
  if (CONSOLE.has(key)) return 'console';
  return method === 'GET' ? 'read' : 'operate';
}

function fill(url: string): string {
  return url
    .replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'vmid') return '100';
      if (name === 'action') return 'start';
      if (name === 'token' || name === 'ticket') return 'x'.repeat(43);
      if (name === 'upid') return 'UPID:pve:0:0:0:qmstart:100:root@pam:';
      return newId();
    })
    .replace('*', 'version');
}

describe(`API token scopes (${TEST_DIALECT})`, () => {
  it('every route asks a token for exactly its scope, before anything else (403 auth.token_scope)', async () => {
    const plain = await makeUser(t);
    const tokens = {
      read: await tokenFor(plain, { scopes: ['read'] }),
      operate: await tokenFor(plain, { scopes: ['operate'] }),
      console: await tokenFor(plain, { scopes: ['console'] }),
    };
    const routes = t.nexus.routes.filter((r) => r.access !== 'public' && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const route of routes) {
      const need = expectedScope(route.method, route.url);
      for (const [scope, token] of Object.entries(tokens) as [Scope, { bot: ApiClient }][]) {
        const mutating = route.method !== 'GET' && route.method !== 'DELETE';
        // A JSON array is refused by every body schema, so a request that gets through changes nothing.
        const res = await token.bot.request(route.method, fill(route.url), mutating ? [] : undefined);
        const refused = res.status === 403 && res.body?.error?.code === 'auth.token_scope';
        if (refused !== (need !== scope)) {
          problems.push(`${route.method} ${route.url} with a ${scope} token: ${res.status} ${res.text.slice(0, 100)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('defaults to read-only when no scopes are given (the old body keeps working)', async () => {
    const admin = await makeUser(t, { login: false });
    await addMember(t, tenantId, admin, 'admin');
    await admin.client.login(admin.email, PASSWORD);
    const { body, bot } = await tokenFor(admin, { expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(body.scopes).toEqual(['read']);
    const listed = await admin.client.get('/api/auth/tokens');
    expect(listed.body.tokens[0]).toMatchObject({ id: body.id, scopes: ['read'] });
    expect((await bot.get(`/api/tenants/${tenantId}/settings`)).status).toBe(200);
    const write = await bot.put(`/api/tenants/${tenantId}/settings`, { viewerConsole: 'none' });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('auth.token_scope');
    expect((await admin.client.get(`/api/tenants/${tenantId}/settings`)).body.viewerConsole).toBe('view-only');
    const denied = await t.nexus.services.audit.list({ action: 'authz.denied', actor: admin.id, limit: 10 });
    expect(denied[0]?.details).toContain('token_scope');
  });

  it('an operate token changes state within the role; scopes are validated', async () => {
    const { body, bot } = await tokenFor(root, { scopes: ['read', 'operate', 'operate'] });
    expect(body.scopes).toEqual(['read', 'operate']);
    expect((await bot.put(`/api/tenants/${tenantId}/settings`, { viewerConsole: 'none' })).status).toBe(200);
    expect((await bot.put(`/api/tenants/${tenantId}/settings`, { viewerConsole: 'view-only' })).status).toBe(200);
    for (const scopes of [[], ['admin'], 'read']) {
      expect((await root.client.post('/api/auth/tokens', { name: 'bad', scopes })).status, JSON.stringify(scopes)).toBe(
        400,
      );
    }
  });

  it('no token, whatever its scopes, manages tokens, changes the account or manages users', async () => {
    const { id, bot } = await tokenFor(root, { scopes: ['read', 'operate', 'console'] });
    const attempts = [
      bot.get('/api/auth/tokens'),
      bot.post('/api/auth/tokens', { name: 'minted', scopes: ['read'] }),
      bot.delete(`/api/auth/tokens/${id}`),
      bot.patch('/api/account', { currentPassword: PASSWORD, newPassword: 'a new long password' }),
      bot.patch('/api/account', { fullName: 'Renamed' }),
      bot.get('/api/users'),
      bot.post('/api/users', { email: 'minted@example.test', password: PASSWORD, globalRole: 'admin' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status, res.text).toBe(403);
      expect(res.body.error.code).toBe('auth.token_scope');
    }
    const tokens = await root.client.get('/api/auth/tokens');
    expect(tokens.body.tokens.map((x: { name: string }) => x.name)).not.toContain('minted');
    expect((await bot.get('/api/auth/me')).status).toBe(200);
    expect((await bot.get('/api/account')).status).toBe(200);
  });
});

describe(`password change and tokens (${TEST_DIALECT})`, () => {
  it("revokes the user's tokens (and their event streams) and other sessions", async () => {
    const u = await makeUser(t, { login: false });
    await addMember(t, tenantId, u, 'viewer');
    await u.client.login(u.email, PASSWORD);
    const laptop = new ApiClient(t.url);
    await laptop.login(u.email, PASSWORD);
    const a = await tokenFor(u, { scopes: ['read'] });
    const b = await tokenFor(u, { scopes: ['read', 'console'] });
    const stream = await openSse(a.bot, `/api/tenants/${tenantId}/events`);
    expect(stream.status).toBe(200);

    const res = await u.client.patch('/api/account', {
      currentPassword: PASSWORD,
      newPassword: 'another long password',
    });
    expect(res.status).toBe(200);
    expect((await a.bot.get('/api/auth/me')).status).toBe(401);
    expect((await b.bot.get('/api/auth/me')).status).toBe(401);
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await u.client.get('/api/auth/me')).status).toBe(200);
    expect((await u.client.get('/api/auth/tokens')).body.tokens).toEqual([]);
    await expect(
      Promise.race([stream.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('open'), 3000))]),
    ).resolves.toBe('ended');
    const audit = await t.nexus.services.audit.list({ actor: u.id, limit: 10 });
    const changed = audit.find((r) => r.action === 'user.password_changed');
    expect(JSON.parse(changed?.details ?? '{}')).toMatchObject({ sessionsRevoked: 1, tokensKept: false });
    const revoked = audit.filter((r) => r.action === 'token.revoked').map((r) => r.target_id);
    expect(revoked.sort()).toEqual([a.id, b.id].sort());
  });

  it('keeps the tokens when the request says so explicitly (other sessions still end)', async () => {
    const u = await makeUser(t);
    const laptop = new ApiClient(t.url);
    await laptop.login(u.email, PASSWORD);
    const a = await tokenFor(u, { scopes: ['read'] });
    const res = await u.client.patch('/api/account', {
      currentPassword: PASSWORD,
      newPassword: 'another long password',
      keepTokens: true,
    });
    expect(res.status).toBe(200);
    expect((await a.bot.get('/api/auth/me')).status).toBe(200);
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await u.client.patch('/api/account', { keepTokens: 'yes' })).status).toBe(400);
  });

  it('a profile change without a new password leaves tokens alone', async () => {
    const u = await makeUser(t);
    const a = await tokenFor(u, { scopes: ['read'] });
    expect((await u.client.patch('/api/account', { fullName: 'Still Me' })).status).toBe(200);
    expect((await a.bot.get('/api/auth/me')).status).toBe(200);
  });
});
