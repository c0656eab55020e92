// Shared setup of the console tests: pve-sim, the real app, a tenant with a registered
// simulated server, and a "browser" that opens the console WebSocket like noVNC does (Origin,
// cookie, subprotocol `binary`) and keeps every byte it receives for scanning.
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import type { TenantRole } from '@common/permissions';
import { createWebSocketStream, WebSocket } from 'ws';
import { type PveSim, type PveSimOptions, startPveSim } from '../../pve-sim/index';
import { RfbTestClient, type RfbTestClientOptions } from '../../pve-sim/rfb/index';
import type { SimServer } from '../../pve-sim/sim-server';
import type { ConsoleUpstream } from '../../server/src/modules/consoles/console-upstream';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { addMember, makeTenant, makeUser, type TestUser } from '../helpers/factories';
import { registerSecret } from '../helpers/secrets';

export interface ConsoleEnv {
  t: TestApp;
  sim: PveSim;
  admin: TestUser;
  tenantId: string;
  serverId: string;
  simServer: SimServer;
  /** Every Proxmox VNC password handed to Nexus, for the leak scan. */
  proxmoxPasswords: string[];
  close(): Promise<void>;
}

/** Registers a simulated server through the API (pinned to its certificate). */
export async function registerSimServer(api: ApiClient, tenantId: string, sim: SimServer): Promise<string> {
  const res = await api.post(`/api/tenants/${tenantId}/servers`, {
    name: sim.name,
    host: sim.host,
    port: sim.port,
    apiToken: sim.token,
    tlsMode: 'pinned',
    tlsFingerprint: sim.fingerprint,
  });
  if (res.status !== 201) throw new Error(`server registration failed: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** Wraps an upstream to remember the VNC passwords Proxmox handed out. */
function recordingUpstream(inner: ConsoleUpstream, passwords: string[]): ConsoleUpstream {
  return {
    locate: (...a) => inner.locate(...a),
    guestStatus: (target) => inner.guestStatus(target),
    termGrant: inner.termGrant
      ? (target, serial, signal) => inner.termGrant?.(target, serial, signal) as never
      : undefined,
    grant: async (target, signal) => {
      const grant = await inner.grant(target, signal);
      passwords.push(grant.password);
      registerSecret(grant.password, 'Proxmox VNC password');
      return grant;
    },
  };
}

export async function startConsoleEnv(
  opts: { sim?: PveSimOptions; app?: Parameters<typeof startTestApp>[0] } = {},
): Promise<ConsoleEnv> {
  const sim = await startPveSim({ authFailDelayMs: 20, taskDurationMs: 50, ...opts.sim });
  // Console tests open far more consoles per user and minute than a person would; the per-user
  // ticket budget has its own test (test/hardening/console-tickets), which sets it back.
  const proxmoxPasswords: string[] = [];
  const outer = opts.app?.deps?.consoleUpstream;
  const t = await startTestApp({
    ...opts.app,
    env: { NEXUS_CONSOLE_PENDING_TICKETS: '1000', NEXUS_CONSOLE_TICKETS_PER_MINUTE: '100000', ...opts.app?.env },
    deps: {
      ...opts.app?.deps,
      consoleUpstream: (real) => {
        const recording = recordingUpstream(real, proxmoxPasswords);
        return outer ? outer(recording) : recording;
      },
    },
  });
  const admin = await makeUser(t, { globalRole: 'admin' });
  const tenant = await makeTenant(t, admin);
  const simServer = sim.servers[0] as SimServer;
  const serverId = await registerSimServer(admin.client, tenant.id, simServer);
  return {
    t,
    sim,
    admin,
    tenantId: tenant.id,
    serverId,
    simServer,
    proxmoxPasswords,
    async close() {
      await t.close();
      await sim.close();
    },
  };
}

/** A signed-in member of the env's tenant. */
export async function member(env: ConsoleEnv, role: TenantRole): Promise<TestUser> {
  const u = await makeUser(env.t, { login: false });
  await addMember(env.t, env.tenantId, u, role);
  await u.client.login(u.email, u.password);
  return u;
}

export function consolePath(env: ConsoleEnv, vmid: number, serverId = env.serverId): string {
  return `/api/tenants/${env.tenantId}/servers/${serverId}/vms/${vmid}/console`;
}

/** POSTs for a ticket; registers it as a secret that only that response may show. */
export async function requestTicket(env: ConsoleEnv, api: ApiClient, vmid: number) {
  const res = await api.post(consolePath(env, vmid));
  if (res.status === 201) {
    const ticket = String(res.body.wsPath).split('/')[3] ?? '';
    registerSecret(ticket, 'console ticket', ApiClient.transcript.length - 1);
  }
  return res;
}

export interface BrowserSocket {
  ws: WebSocket;
  stream: Duplex;
  /** Every byte received, for scanning. */
  received: Buffer[];
  closed: Promise<{ code: number; reason: string }>;
  protocol(): string;
}

export interface UpgradeOptions {
  origin?: string | null;
  cookie?: string | null;
  bearer?: string;
  protocols?: string[];
  autoPong?: boolean;
}

/** Opens the console WebSocket; resolves once open, rejects with `status` when refused. */
export async function openConsoleSocket(
  env: ConsoleEnv,
  wsPath: string,
  api: ApiClient | null,
  opts: UpgradeOptions = {},
): Promise<BrowserSocket> {
  const headers: Record<string, string> = {};
  const cookie = opts.cookie === undefined ? api?.cookie : opts.cookie;
  if (cookie) headers.cookie = cookie;
  const origin = opts.origin === undefined ? env.t.origin : opts.origin;
  if (origin) headers.origin = origin;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  const url = env.t.url.replace(/^http/, 'ws') + wsPath;
  const ws = new WebSocket(url, opts.protocols ?? ['binary'], {
    headers,
    perMessageDeflate: false,
    autoPong: opts.autoPong ?? true,
  });
  const stream = createWebSocketStream(ws);
  stream.on('error', () => {});
  const received: Buffer[] = [];
  ws.on('message', (data: Buffer) => received.push(Buffer.from(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () =>
        reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode, body })),
      );
    });
    ws.once('error', reject);
  });
  return { ws, stream, received, closed, protocol: () => ws.protocol };
}

/** Status of a refused upgrade (never 101). */
export async function upgradeStatus(
  env: ConsoleEnv,
  wsPath: string,
  api: ApiClient | null,
  opts: UpgradeOptions = {},
): Promise<{ status: number; code?: string }> {
  try {
    const socket = await openConsoleSocket(env, wsPath, api, opts);
    socket.ws.terminate();
    return { status: 101 };
  } catch (err) {
    const e = err as { status?: number; body?: string };
    let code: string | undefined;
    try {
      code = JSON.parse(e.body ?? '').error?.code;
    } catch {
      code = undefined;
    }
    return { status: e.status ?? 0, code };
  }
}

/** A console through Nexus: ticket, WebSocket, RFB handshake. */
export async function openConsole(
  env: ConsoleEnv,
  api: ApiClient,
  vmid: number,
  rfb: RfbTestClientOptions = {},
  upgrade: UpgradeOptions = {},
) {
  const res = await requestTicket(env, api, vmid);
  if (res.status !== 201) throw new Error(`ticket refused: ${res.status} ${res.text}`);
  const socket = await openConsoleSocket(env, res.body.wsPath, api, upgrade);
  const rfbClient = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000, ...rfb });
  return { ticket: res.body as { wsPath: string; expiresAt: string; viewOnly: boolean }, socket, rfb: rfbClient };
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'a condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export { once };
