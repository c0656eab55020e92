// Authentication and authorization: API tokens (both header spellings), ticket + cookie + CSRF,
// the delayed 401, privilege separation, expired and disabled tokens, /access/permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { call } from './test-support/sim-client';
import { FAST, testScenario } from './test-support/test-scenario';

let sim: PveSim;
let a: SimServer;

beforeAll(async () => {
  sim = await startPveSim({ scenario: testScenario(), ...FAST });
  a = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  const result = await fn();
  return [result, Date.now() - start];
}

describe('API tokens', () => {
  it('accepts PVEAPIToken=USER@REALM!TOKENID=SECRET and the variant with a space', async () => {
    expect(a.token).toMatch(/^root@pam!pve-sim=[0-9a-f-]{36}$/);
    const eq = await call(a, 'GET', '/version', { authorization: `PVEAPIToken=${a.token}` });
    const space = await call(a, 'GET', '/version', { authorization: `PVEAPIToken ${a.token}` });
    expect([eq.status, space.status]).toEqual([200, 200]);
  });

  it('answers a missing credential with a delayed 401 "No ticket"', async () => {
    const [res, ms] = await timed(() => call(a, 'GET', '/version', { token: null }));
    expect(res.status).toBe(401);
    expect(res.reason).toBe('No ticket');
    expect(ms).toBeGreaterThanOrEqual(FAST.authFailDelayMs - 5);
  });

  it('refuses a wrong secret, an unknown token and the PBS-style ":" separator', async () => {
    const wrong = await call(a, 'GET', '/version', { token: a.token.replace(/.$/, (c) => (c === '0' ? '1' : '0')) });
    expect([wrong.status, wrong.reason]).toEqual([401, 'invalid token value!']);
    const unknown = await call(a, 'GET', '/version', { token: 'root@pam!nope=00000000-0000-4000-8000-000000000000' });
    expect([unknown.status, unknown.reason]).toEqual([401, "no such token 'nope' for user 'root@pam'"]);
    const pbs = await call(a, 'GET', '/version', { token: a.token.replace('=', ':') });
    expect(pbs.status).toBe(401);
  });

  it('refuses expired tokens and tokens of disabled users', async () => {
    const expired = a.addToken({ expire: Math.floor(Date.now() / 1000) - 60 });
    expect((await call(a, 'GET', '/version', { token: expired })).reason).toBe('token expired');
    const disabled = a.addToken({ enabled: false });
    const res = await call(a, 'GET', '/version', { token: disabled });
    expect(res.status).toBe(401);
    expect(res.reason).toMatch(/^user '.+@pve' is disabled$/);
    const future = a.addToken({ expire: Math.floor(Date.now() / 1000) + 3600 });
    expect((await call(a, 'GET', '/version', { token: future })).status).toBe(200);
  });

  it('needs no CSRF token with an API token', async () => {
    const res = await call(a, 'POST', '/nodes/pve-a/qemu/100/vncproxy', { token: a.token });
    expect(res.status).toBe(200);
  });

  it('shares tokens across the endpoints of a cluster, not with other clusters', async () => {
    const b = sim.servers[1] as SimServer;
    const solo = sim.servers[2] as SimServer;
    expect(b.token).toBe(a.token);
    expect((await call(b, 'GET', '/version', { token: a.token })).status).toBe(200);
    expect((await call(solo, 'GET', '/version', { token: a.token })).status).toBe(401);
  });
});

describe('ticket login', () => {
  const login = (username: string, password: string) =>
    call(a, 'POST', '/access/ticket', { form: { username, password } });

  it('returns ticket, CSRF token, username and capabilities', async () => {
    const res = await login('alice@pve', 'alice-pw');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      username: 'alice@pve',
      ticket: expect.stringMatching(/^PVE:alice@pve:[0-9A-F]{8}::\S+$/),
      CSRFPreventionToken: expect.stringMatching(/^[0-9A-F]{8}:\S+$/),
      clustername: 'lab',
      cap: { vms: { 'VM.Console': 1, 'VM.PowerMgmt': 1 } },
    });
  });

  it('accepts the realm as a separate parameter', async () => {
    const res = await call(a, 'POST', '/access/ticket', {
      form: { username: 'root', realm: 'pam', password: 'root-secret' },
    });
    expect(res.body.data.username).toBe('root@pam');
  });

  it('answers bad credentials with a delayed 401 "authentication failure", the same for every cause', async () => {
    for (const [user, pw] of [
      ['alice@pve', 'nope'],
      ['nobody@pve', 'x'],
      ['bob@pve', 'bob-pw'],
    ] as const) {
      const [res, ms] = await timed(() => login(user, pw));
      expect([res.status, res.reason]).toEqual([401, 'authentication failure']);
      expect(ms).toBeGreaterThanOrEqual(FAST.authFailDelayMs - 5);
    }
  });

  it('does not hand out tickets for API tokens', async () => {
    const [tokenid, secret] = a.token.split('=') as [string, string];
    expect((await login(tokenid, secret)).status).toBe(401);
  });

  it('uses the ticket as cookie; non-GET requests also need CSRFPreventionToken', async () => {
    const { ticket, CSRFPreventionToken } = (await login('alice@pve', 'alice-pw')).body.data;
    const cookie = `PVEAuthCookie=${encodeURIComponent(ticket)}`;
    expect((await call(a, 'GET', '/cluster/resources', { cookie })).status).toBe(200);
    const noCsrf = await call(a, 'POST', '/nodes/pve-a/qemu/100/vncproxy', { cookie });
    expect([noCsrf.status, noCsrf.reason]).toEqual([401, 'Permission denied - invalid csrf token']);
    const ok = await call(a, 'POST', '/nodes/pve-a/qemu/100/vncproxy', { cookie, csrf: CSRFPreventionToken });
    expect(ok.status).toBe(200);
    expect(ok.body.data.user).toBe('alice@pve');
    const forged = await call(a, 'GET', '/version', { cookie: `PVEAuthCookie=${ticket.replace('alice', 'root')}` });
    expect(forged.status).toBe(401);
  });

  it('renews a ticket given as password', async () => {
    const { ticket } = (await login('alice@pve', 'alice-pw')).body.data;
    const renewed = await login('alice@pve', ticket);
    expect(renewed.status).toBe(200);
  });
});

describe('privileges', () => {
  it('a privilege-separated token without ACLs sees empty lists and gets 403 on actions', async () => {
    const token = a.addToken({ privsep: true });
    const opts = { token };
    expect((await call(a, 'GET', '/cluster/resources', opts)).body.data).toEqual([]);
    expect((await call(a, 'GET', '/nodes/pve-a/qemu', opts)).body.data).toEqual([]);
    expect((await call(a, 'GET', '/access/permissions', opts)).body.data).toEqual({});
    const start = await call(a, 'POST', '/nodes/pve-a/qemu/101/status/start', opts);
    expect([start.status, start.reason]).toEqual([403, 'Permission check failed (/vms/101, VM.PowerMgmt)']);
    expect(start.body.message).toBe('Permission check failed (/vms/101, VM.PowerMgmt)\n');
    const status = await call(a, 'GET', '/cluster/status', opts);
    expect([status.status, status.reason]).toEqual([403, 'Permission check failed (/, Sys.Audit)']);
    // Nodes are listed for everyone, without figures.
    const nodes = (await call(a, 'GET', '/nodes', opts)).body.data as Record<string, unknown>[];
    expect(nodes.map((n) => n.node)).toEqual(['pve-a', 'pve-b']);
    expect(nodes[0]?.cpu).toBeUndefined();
    expect((await call(a, 'GET', '/version', opts)).status).toBe(200);
  });

  it('checks permissions before parameters, as check_api2_permissions runs first', async () => {
    const token = a.addToken({ privsep: true });
    const res = await call(a, 'POST', '/nodes/pve-a/qemu/101/status/start', { token, form: { bogus: 1 } });
    expect(res.status).toBe(403);
  });

  it('a token with PVEVMUser on /vms may list and power guests but sees no node figures', async () => {
    const token = a.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEVMUser' }] });
    const vms = (await call(a, 'GET', '/cluster/resources', { token })).body.data as { type: string }[];
    expect(vms).toHaveLength(10);
    expect(vms.every((r) => r.type === 'qemu' || r.type === 'lxc')).toBe(true);
    expect((await call(a, 'POST', '/nodes/pve-a/qemu/101/status/stop', { token })).status).toBe(200);
    expect((await call(a, 'GET', '/nodes/pve-a/status', { token })).status).toBe(403);
    const perms = (await call(a, 'GET', '/access/permissions', { token })).body.data;
    expect(perms['/vms']).toMatchObject({ 'VM.Audit': 1, 'VM.Console': 1, 'VM.PowerMgmt': 1 });
    expect(perms['/nodes']).toBeUndefined();
    const one = (await call(a, 'GET', '/access/permissions', { token, query: { path: '/nodes' } })).body.data;
    expect(one).toEqual({ '/nodes': {} });
  });

  it('intersects with the owner: a privsep token never exceeds its user', async () => {
    const token = a.addToken({
      privsep: true,
      userAcls: [{ path: '/vms', role: 'PVEAuditor' }],
      acls: [{ path: '/', role: 'Administrator' }],
    });
    expect((await call(a, 'GET', '/cluster/resources', { token, query: { type: 'vm' } })).body.data).toHaveLength(10);
    expect((await call(a, 'POST', '/nodes/pve-a/qemu/101/status/start', { token })).status).toBe(403);
  });

  it('a token without privilege separation has its user rights', async () => {
    const full = 'alice@pve!full=11111111-2222-4333-8444-555555555555';
    expect((await call(a, 'GET', '/cluster/resources', { token: full, query: { type: 'vm' } })).body.data).toHaveLength(
      10,
    );
    expect((await call(a, 'GET', '/cluster/status', { token: full })).status).toBe(403);
  });

  it('grants pool rights to the pool members only', async () => {
    const token = a.addToken({ privsep: false, userAcls: [{ path: '/pool/lab', role: 'PVEVMUser' }] });
    const vms = (await call(a, 'GET', '/cluster/resources', { token })).body.data as { id: string }[];
    expect(vms.map((v) => v.id)).toEqual(['qemu/101', 'lxc/200']);
    const perms = (await call(a, 'GET', '/access/permissions', { token })).body.data;
    expect(Object.keys(perms)).toEqual(['/pool/lab', '/vms/101', '/vms/200']);
    expect((await call(a, 'POST', '/nodes/pve-a/qemu/100/status/stop', { token })).status).toBe(403);
  });

  it('lets a deeper ACL replace an inherited one', async () => {
    const token = a.addToken({
      privsep: false,
      userAcls: [
        { path: '/vms', role: 'PVEVMUser' },
        { path: '/vms/100', role: 'NoAccess' },
        { path: '/vms/300', role: 'PVEAuditor' },
      ],
    });
    const vms = (await call(a, 'GET', '/cluster/resources', { token })).body.data as { vmid: number }[];
    expect(vms.map((v) => v.vmid)).not.toContain(100);
    expect((await call(a, 'POST', '/nodes/pve-b/qemu/300/status/stop', { token })).status).toBe(403);
    expect((await call(a, 'POST', '/nodes/pve-b/lxc/301/status/stop', { token })).status).toBe(200);
  });

  it('shows a user the permissions of their own token; others need Sys.Audit on /access', async () => {
    const ticket = (await call(a, 'POST', '/access/ticket', { form: { username: 'alice@pve', password: 'alice-pw' } }))
      .body.data.ticket as string;
    const cookie = `PVEAuthCookie=${encodeURIComponent(ticket)}`;
    const own = await call(a, 'GET', '/access/permissions', { cookie, query: { userid: 'alice@pve!full' } });
    expect(own.status).toBe(200);
    expect(own.body.data['/vms']).toMatchObject({ 'VM.Audit': 1 });
    const other = await call(a, 'GET', '/access/permissions', { cookie, query: { userid: 'root@pam' } });
    expect([other.status, other.reason]).toEqual([403, 'Permission check failed (/access, Sys.Audit)']);
    const asRoot = await call(a, 'GET', '/access/permissions', { token: a.token, query: { userid: 'alice@pve' } });
    expect(asRoot.body.data['/vms']).toEqual(own.body.data['/vms']);
  });
});
