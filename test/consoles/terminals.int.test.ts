// Text consoles through Proxmox's termproxy (issue 19), against pve-sim's simulated shell: a
// container terminal types `echo hello` and reads it back; the broker authenticates upstream
// itself (no Proxmox ticket reaches the browser); view-only input and resizes never reach
// Proxmox; malformed frames close the session; bad, late and foreign tickets are refused before
// the 101; revocation closes the terminal within 5 s.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTermFrames } from '../../server/src/modules/consoles/terminal-relay';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { type BrowserSocket, type ConsoleEnv, openConsoleSocket, startConsoleEnv, upgradeStatus } from './console-kit';

let env: ConsoleEnv;
let viewer: TestUser;

const SCENARIO = {
  seed: 9,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [
        { vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'vm-01', status: 'running' as const },
        { vmid: 102, type: 'lxc' as const, node: 'pve1', name: 'ct-01', status: 'running' as const },
        { vmid: 103, type: 'lxc' as const, node: 'pve1', name: 'ct-02', status: 'running' as const },
      ],
    },
  ],
};

beforeAll(async () => {
  env = await startConsoleEnv({ sim: { scenario: SCENARIO as never } });
  env.t.nexus.services.consoles.tuning.relay = { closeGraceMs: 200 };
  viewer = await makeUser(env.t, { login: false });
  await addMember(env.t, env.tenantId, viewer, 'viewer');
  await viewer.client.login(viewer.email, PASSWORD);
});
afterAll(async () => env?.close());

const terminalPath = (vmid: number, query = '') =>
  `/api/tenants/${env.tenantId}/servers/${env.serverId}/vms/${vmid}/terminal${query}`;
const frame = (text: string) => `0:${Buffer.byteLength(text)}:${text}`;
const output = (s: BrowserSocket) => Buffer.concat(s.received).toString('utf8');

async function waitForOutput(s: BrowserSocket, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = output(s);
    if (pattern.test(text)) return text;
    if (Date.now() > end) throw new Error(`no ${pattern} in terminal output: ${JSON.stringify(text.slice(-400))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function openTerminal(client: TestUser['client'], vmid: number): Promise<BrowserSocket> {
  const ticket = await client.post(terminalPath(vmid));
  expect(ticket.status, ticket.text).toBe(201);
  return openConsoleSocket(env, ticket.body.wsPath, client);
}

describe(`text consoles (${TEST_DIALECT})`, () => {
  it('opens a container terminal: types `echo hello` and reads it back; no Proxmox ticket reaches the browser', async () => {
    const s = await openTerminal(env.admin.client, 102);
    await waitForOutput(s, /[#$] $/m);
    s.ws.send(frame('echo hello\r'));
    await waitForOutput(s, /\r?\nhello\r?\n/);
    s.ws.send(Buffer.from('1:120:40:'));
    const rec = env.simServer.guest(102)?.terminal;
    expect(rec).toBeDefined();
    await expect.poll(() => rec?.resizes.at(-1), { timeout: 3000 }).toEqual({ cols: 120, rows: 40 });
    expect(rec?.inputText).toContain('echo hello');
    // The upstream auth line was Nexus's own: the browser never saw a PVE ticket.
    expect(output(s)).not.toMatch(/PVEVNC:|PVE:/);
    expect(rec?.authAttempts.at(-1)).toMatchObject({ ok: true });
    s.ws.close(1000);
    expect((await s.closed).code).toBe(1000);
  });

  it('drops view-only input and resizes in the broker: Proxmox records nothing', async () => {
    const rec = env.simServer.guest(103)?.terminal;
    expect(rec).toBeDefined();
    const s = await openTerminal(viewer.client, 103);
    await waitForOutput(s, /[#$] $/m);
    const before = rec?.input.length ?? 0;
    s.ws.send(frame('echo should-not-run\r'));
    s.ws.send(Buffer.from('1:80:24:'));
    s.ws.send(Buffer.from('2'));
    await new Promise((r) => setTimeout(r, 300));
    expect(rec?.input.length).toBe(before);
    expect(output(s)).not.toContain('should-not-run');
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    s.ws.close(1000);
    await s.closed;
  });

  it('closes the session on a malformed frame', async () => {
    for (const bad of ['0:5:ab', '9:1:x', '0:-1:', '1:0:24:', '1:80', `0:${70 * 1024}:x`, 'hello']) {
      const s = await openTerminal(env.admin.client, 102);
      await waitForOutput(s, /[#$] $/m);
      s.ws.send(Buffer.from(bad));
      expect((await s.closed).code, bad).toBe(CONSOLE_CLOSE.protocolError);
    }
  });

  it('ends cleanly on any garbage a browser sends: malformed closes with 1002, nothing stays open', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (garbage) => {
        const s = await openTerminal(env.admin.client, 102);
        await waitForOutput(s, /[#$] $/m);
        const msg = Buffer.from(garbage);
        s.ws.send(msg);
        if (parseTermFrames(msg) === null) {
          expect((await s.closed).code).toBe(CONSOLE_CLOSE.protocolError);
        } else {
          s.ws.close(1000);
          await s.closed;
        }
        await expect.poll(() => env.t.nexus.services.consoles.liveCount, { timeout: 3000 }).toBe(0);
      }),
      { numRuns: Number(process.env.NEXUS_ABUSE_RUNS ?? 12) },
    );
  });

  it('refuses a VM without a serial port request, other users’ and used tickets before the 101', async () => {
    const vm = await env.admin.client.post(terminalPath(100));
    expect(vm.status).toBe(400);
    expect(vm.body.error.code).toBe('console.terminal_unavailable');
    expect((await env.admin.client.post(terminalPath(100, '?serial=serial9'))).status).toBe(400);
    expect((await env.admin.client.post(terminalPath(100, '?serial=serial0'))).status).toBe(201);

    const ticket = await env.admin.client.post(terminalPath(102));
    expect(await upgradeStatus(env, ticket.body.wsPath, viewer.client)).toMatchObject({
      code: 'console.ticket_invalid',
    });
    const s = await openConsoleSocket(env, ticket.body.wsPath, env.admin.client);
    await waitForOutput(s, /[#$] $/m);
    expect(await upgradeStatus(env, ticket.body.wsPath, env.admin.client)).toMatchObject({
      code: 'console.ticket_invalid',
    });
    s.ws.close(1000);
    await s.closed;
  });

  it('ends on revocation within 5 s', async () => {
    const member = await makeUser(env.t, { login: false });
    await addMember(env.t, env.tenantId, member, 'manager');
    await member.client.login(member.email, PASSWORD);
    const s = await openTerminal(member.client, 102);
    await waitForOutput(s, /[#$] $/m);
    const started = Date.now();
    expect((await env.admin.client.delete(`/api/tenants/${env.tenantId}/members/${member.id}`)).status).toBe(200);
    const closed = await s.closed;
    expect(closed.code).toBe(CONSOLE_CLOSE.revoked);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe(`default console per guest type (${TEST_DIALECT})`, () => {
  const detail = async (vmid: number) => {
    const res = await env.admin.client.get(`/api/tenants/${env.tenantId}/servers/${env.serverId}/vms/${vmid}`);
    expect(res.status, res.text).toBe(200);
    return res.body.defaultConsole as string;
  };

  it('containers default to the terminal and VMs to the graphical console; the tenant setting changes one type only', async () => {
    const settings = `/api/tenants/${env.tenantId}/settings`;
    expect((await env.admin.client.get(settings)).body.defaultConsole).toEqual({ qemu: 'vnc', lxc: 'terminal' });
    expect(await detail(102)).toBe('terminal');
    expect(await detail(100)).toBe('vnc');
    try {
      const put = await env.admin.client.put(settings, { defaultConsole: { lxc: 'vnc' } });
      expect(put.status, put.text).toBe(200);
      expect(put.body.defaultConsole).toEqual({ qemu: 'vnc', lxc: 'vnc' });
      expect(await detail(102)).toBe('vnc');
      const bad = await env.admin.client.put(settings, { defaultConsole: { qemu: 'rdp' } });
      expect(bad.status).toBe(400);
      expect((await env.admin.client.get(settings)).body.defaultConsole).toEqual({ qemu: 'vnc', lxc: 'vnc' });
    } finally {
      await env.admin.client.put(settings, { defaultConsole: { lxc: 'terminal' } });
    }
  });
});

describe(`node shells (${TEST_DIALECT})`, () => {
  const shellPath = (node = 'pve1') => `/api/tenants/${env.tenantId}/servers/${env.serverId}/nodes/${node}/terminal`;

  it('are refused while the tenant setting is off, and to managers and viewers whatever it says', async () => {
    const off = await env.admin.client.post(shellPath());
    expect(off.status).toBe(403);
    expect(off.body.error.code).toBe('console.node_shell_disabled');
    expect((await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { nodeShell: true })).status).toBe(200);
    const manager = await makeUser(env.t, { login: false });
    await addMember(env.t, env.tenantId, manager, 'manager');
    await manager.client.login(manager.email, PASSWORD);
    expect((await manager.client.post(shellPath())).status).toBe(403);
    expect((await viewer.client.post(shellPath())).status).toBe(403);
    expect((await env.admin.client.post(shellPath('bad name'))).status).toBe(400);
  });

  it('open for a tenant admin: an API token gets Proxmox’s login prompt; turning the setting off ends it', async () => {
    await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { nodeShell: true });
    const s = await openConsoleSocket(env, (await env.admin.client.post(shellPath())).body.wsPath, env.admin.client);
    // Proxmox gives every principal but root@pam (a ticket, not a token) /bin/login.
    await waitForOutput(s, /login: $/m);
    const audit = await env.t.nexus.services.audit.list({ tenantId: env.tenantId, limit: 20 });
    await expect
      .poll(async () =>
        (await env.t.nexus.services.audit.list({ tenantId: env.tenantId, limit: 20 })).some(
          (r) => r.action === 'console.opened' && JSON.parse(r.details ?? '{}').kind === 'shell',
        ),
      )
      .toBe(true);
    expect(audit).toBeDefined();
    const started = Date.now();
    await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { nodeShell: false });
    expect((await s.closed).code).toBe(CONSOLE_CLOSE.revoked);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
