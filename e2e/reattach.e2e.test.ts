// A network blip under a real browser (issue 23): the page talks to Nexus through a loopback TCP
// proxy that drops every connection at once, as a flaky network or a sleeping laptop would (no
// WebSocket close frame on either side). The console page asks for a fresh ticket at once and
// Nexus re-attaches it to the same Proxmox console — in a relay worker, as installs run — with no
// second vncproxy: the guest's picture is back within seconds and the books say it resumed.
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../pve-sim/index';
import { singleNodeScenario } from '../test/helpers/scenario';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage, type Watched } from './helpers/browser';
import { waitForPhase, waitForSimFrame } from './helpers/console';
import { type E2eEnv, PASSWORD, registerSim, simAt, startE2eEnv } from './helpers/env';

const SCENARIO = singleNodeScenario(3, [{ vmid: 100, name: 'web-01' }]);

/** A TCP proxy to Nexus whose `drop()` cuts every connection through it at once. */
class FlakyProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private readonly server: Server;
  port = 0;

  constructor(private readonly target: number) {
    this.server = createServer((client) => {
      const upstream = tcpConnect(this.target, '127.0.0.1');
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      for (const s of pair) {
        s.on('error', end);
        s.on('close', end);
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Resets both sides of every connection: neither end gets a goodbye. */
  drop(): number {
    const n = this.pairs.size;
    for (const [a, b] of this.pairs) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    this.pairs.clear();
    return n;
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise((r) => this.server.close(r));
  }
}

let env: E2eEnv;
let sim: SimServer;
let proxy: FlakyProxy;
let browser: Browser;
let w: Watched;
let serverId: string;

beforeAll(async () => {
  env = await startE2eEnv({ sim: { scenario: SCENARIO } });
  sim = simAt(env.sim, 0);
  serverId = await registerSim(env.admin.client, env.tenantId, sim);
  proxy = new FlakyProxy(Number(new URL(env.url).port));
  await proxy.start();
  const viaProxy = `http://127.0.0.1:${proxy.port}`;
  env.t.config.allowedOrigins.push(viaProxy);
  browser = await launchBrowser();
  w = await newWatchedPage(browser, viaProxy);
});
afterBrowserTests(() => [browser, proxy, env]);

const vncproxies = () =>
  sim.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/qemu/100/vncproxy')).length;

describe('console re-attach in a browser', () => {
  it('comes back to the same console after every connection dropped, without a new vncproxy', async () => {
    const { page } = w;
    expect(env.t.nexus.services.consoles.relayWorkerPids).toHaveLength(2);
    await loginViaUi(page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}/servers/${serverId}/vms/100/console`);
    await waitForPhase(page, ['connected']);
    await waitForSimFrame(page);
    const db = env.t.database.db;
    const first = await db
      .selectFrom('console_sessions')
      .selectAll()
      .where('vmid', '=', 100)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const proxies = vncproxies();

    expect(proxy.drop()).toBeGreaterThan(0);
    const dropped = Date.now();
    await waitForPhase(page, ['waiting', 'requesting', 'connecting'], 5_000).catch(() => 'connected');
    await waitForPhase(page, ['connected'], 15_000);
    await waitForSimFrame(page);
    const backAfterMs = Date.now() - dropped;
    expect(backAfterMs).toBeLessThan(10_000);
    expect(vncproxies()).toBe(proxies);

    const resumed = await db
      .selectFrom('audit_logs')
      .selectAll()
      .where('action', '=', 'console.resumed')
      .where('target_id', '=', first.id)
      .execute();
    expect(resumed).toHaveLength(1);
    expect(
      (await db.selectFrom('console_sessions').select('closed_at').where('id', '=', first.id).executeTakeFirstOrThrow())
        .closed_at,
    ).toBeNull();
    expect(w.pageErrors).toEqual([]);
  });
});
