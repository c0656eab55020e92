// The HTTP surface: transport, envelope, errors, routing, indexes and the read endpoints.

import { X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { call } from './test-support/sim-client';
import { FAST, HOSTILE_NAME, testScenario } from './test-support/test-scenario';

let sim: PveSim;
let a: SimServer;
let solo: SimServer;
const get = (path: string, query?: string | Record<string, string | number>) =>
  call(a, 'GET', path, { token: a.token, query });

beforeAll(async () => {
  sim = await startPveSim({ scenario: testScenario(), ...FAST });
  [a, , solo] = sim.servers as [SimServer, SimServer, SimServer];
});
afterAll(() => sim.close());

describe('transport', () => {
  it('serves HTTPS on loopback with a certificate whose SHA-256 fingerprint it reports', async () => {
    expect(a.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(a.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const res = await get('/version');
    expect(res.status).toBe(200);
    expect(res.fingerprint).toBe(a.fingerprint);
  });

  it('reports each node fingerprint in /nodes, matching the endpoint certificates', async () => {
    const nodes = (await get('/nodes')).body.data as { node: string; ssl_fingerprint: string }[];
    const b = sim.servers[1] as SimServer;
    expect(nodes.find((n) => n.node === 'pve-a')?.ssl_fingerprint).toBe(a.fingerprint);
    expect(nodes.find((n) => n.node === 'pve-b')?.ssl_fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('issues node certificates from one cluster CA', async () => {
    const res = await call(a, 'POST', '/nodes/pve-a/qemu/100/vncproxy', { token: a.token });
    const cert = new X509Certificate(res.body.data.cert as string);
    expect(cert.fingerprint256).toBe(a.fingerprint);
    expect(cert.issuer).toContain('Proxmox Virtual Environment');
    expect(cert.subject).not.toBe(cert.issuer);
  });

  it('redirects plain HTTP on the same port to HTTPS', async () => {
    const res = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      httpRequest(`http://127.0.0.1:${a.port}/api2/json/version`, (r) => {
        r.resume();
        resolve({ status: r.statusCode ?? 0, location: r.headers.location });
      })
        .on('error', reject)
        .end();
    });
    expect(res).toEqual({ status: 301, location: `https://127.0.0.1:${a.port}/api2/json/version` });
  });
});

describe('envelope and errors', () => {
  it('wraps results in {data} with pveproxy headers', async () => {
    const res = await get('/version');
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.headers.server).toBe('pve-api-daemon/3.0');
    expect(Object.keys(res.body)).toEqual(['data']);
    expect(res.body.data).toMatchObject({ version: expect.any(String), release: expect.any(String) });
    expect(res.body.data.repoid).toMatch(/^[0-9a-f]{8,64}$/);
  });

  it('answers unknown paths and methods with 501 and the message in the reason phrase and body', async () => {
    const res = await get('/x');
    expect(res.status).toBe(501);
    expect(res.reason).toBe("Method 'GET /x' not implemented");
    expect(res.body).toEqual({ data: null, message: "Method 'GET /x' not implemented" });
    const put = await call(a, 'PUT', '/version', { token: a.token });
    expect(put.status).toBe(501);
    expect(put.reason).toBe("Method 'PUT /version' not implemented");
    const reset = await call(a, 'POST', '/nodes/pve-a/lxc/200/status/reset', { token: a.token });
    expect(reset.reason).toBe("Method 'POST /nodes/pve-a/lxc/200/status/reset' not implemented");
  });

  it('rejects unknown parameters with 400 and an errors object', async () => {
    const res = await get('/cluster/resources', { type: 'vm', full: 1 });
    expect(res.status).toBe(400);
    expect(res.reason).toBe('Parameter verification failed.');
    expect(res.body.message).toBe('Parameter verification failed.\n');
    expect(res.body.errors).toEqual({
      full: 'property is not defined in schema and the schema does not allow additional properties',
    });
  });

  it('rejects true/false booleans in query and form, accepts 1/0 and JSON booleans', async () => {
    const q = await get('/nodes/pve-a/qemu', { full: 'true' });
    expect(q.status).toBe(400);
    expect(q.body.errors).toEqual({ full: "type check ('boolean') failed - got 'true'" });
    expect((await get('/nodes/pve-a/qemu', { full: 1 })).status).toBe(200);
    const form = await call(a, 'POST', '/nodes/pve-a/qemu/100/vncproxy', {
      token: a.token,
      form: { websocket: 'true' },
    });
    expect(form.status).toBe(400);
    expect(form.body.errors).toEqual({
      websocket: "type check ('boolean') failed - got 'false'".replace('false', 'true'),
    });
    const json = await call(a, 'POST', '/nodes/pve-a/qemu/100/vncproxy', { token: a.token, json: { websocket: true } });
    expect(json.status).toBe(200);
  });

  it('validates path parameters like any other', async () => {
    const res = await get('/nodes/pve-a/qemu/abc/status/current');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ vmid: "type check ('integer') failed - got 'abc'" });
    expect((await get('/nodes/pve-a/qemu/99/status/current')).body.errors).toEqual({
      vmid: 'value must have a minimum value of 100',
    });
  });

  it('refuses a parameter given both in the path and the query', async () => {
    const res = await get('/nodes/pve-a/qemu/100/status/current', { vmid: 100 });
    expect(res.status).toBe(400);
    expect(res.reason).toBe("Parameter verification failed - duplicate parameter 'vmid'");
  });

  it('splits form bodies on ; and turns + into a space', async () => {
    const res = await call(a, 'POST', '/access/ticket', { form: 'username=alice@pve;password=alice-pw' });
    expect(res.status).toBe(200);
    const plus = await call(a, 'POST', '/access/ticket', { form: 'username=alice@pve&password=alice+pw' });
    expect(plus.status).toBe(401);
  });

  it('answers a wrong node with the config-file error and an unknown node with a lookup error', async () => {
    const wrong = await get('/nodes/pve-b/qemu/100/status/current');
    expect(wrong.status).toBe(500);
    expect(wrong.reason).toBe("Configuration file 'nodes/pve-b/qemu-server/100.conf' does not exist");
    const ct = await get('/nodes/pve-a/lxc/100/status/current');
    expect(ct.reason).toBe("Configuration file 'nodes/pve-a/lxc/100.conf' does not exist");
    const unknown = await get('/nodes/nosuch/qemu');
    expect(unknown.status).toBe(500);
    expect(unknown.reason).toMatch(/^hostname lookup 'nosuch' failed/);
  });
});

describe('directory indexes', () => {
  it('lists the API root and node directories as Proxmox does', async () => {
    expect((await get('/')).body.data).toEqual(
      ['version', 'cluster', 'nodes', 'storage', 'access', 'pools'].map((subdir) => ({ subdir })),
    );
    expect((await call(a, 'GET', '/api2/json', { token: a.token })).body.data).toHaveLength(6);
    const node = (await get('/nodes/pve-a')).body.data as { name: string }[];
    expect(node.map((n) => n.name).sort()).toEqual([
      'lxc',
      'qemu',
      'status',
      'storage',
      'tasks',
      'termproxy',
      'version',
      'vzdump',
    ]);
    const status = (await get('/nodes/pve-a/qemu/100/status')).body.data as { subdir: string }[];
    expect(status.map((s) => s.subdir)).toEqual([
      'current',
      'start',
      'stop',
      'shutdown',
      'reboot',
      'reset',
      'suspend',
      'resume',
    ]);
    const ctStatus = (await get('/nodes/pve-a/lxc/200/status')).body.data as { subdir: string }[];
    expect(ctStatus.map((s) => s.subdir)).not.toContain('reset');
    const vm = (await get('/nodes/pve-a/qemu/100')).body.data as { subdir: string }[];
    expect(vm.map((s) => s.subdir)).toEqual([
      'config',
      'status',
      'rrddata',
      'snapshot',
      'agent',
      'vncproxy',
      'termproxy',
    ]);
    const ct = (await get('/nodes/pve-a/lxc/200')).body.data as { subdir: string }[];
    expect(ct.map((s) => s.subdir)).toContain('interfaces');
    expect((await get('/nodes/pve-a/qemu/999')).status).toBe(500);
  });

  it('can be walked from the root: every listed child is served', async () => {
    const seen: string[] = [];
    const childrenOf = (path: string, data: unknown): string[] => {
      if (!Array.isArray(data)) return [];
      const entries = data as Record<string, unknown>[];
      if (path === '/nodes') return entries.map((e) => String(e.node));
      if (/^\/nodes\/[^/]+\/storage$/.test(path)) return entries.map((e) => String(e.storage));
      if (path.endsWith('/snapshot')) return entries.map((e) => String(e.name)).filter((n) => n !== 'current');
      if (/\/(qemu|lxc)$/.test(path))
        return entries.map((e) => String(e.vmid)).filter((v) => ['100', '200'].includes(v));
      // Index entries are single-key objects: {subdir}, {name} or {cmd}.
      const key = (e: Record<string, unknown>) => e.subdir ?? e.name ?? e.cmd;
      if (!entries.every((e) => Object.keys(e).length === 1 && key(e) !== undefined)) return [];
      return entries.map((e) => String(key(e)));
    };
    const walk = async (path: string): Promise<void> => {
      seen.push(path);
      const res = await get(path || '/');
      for (const child of childrenOf(path, res.body?.data)) {
        const next = `${path}/${child}`;
        const probe = await get(next);
        // Action paths are POST-only: GET gives 501; anything else listed must be served.
        if (
          /\/(status\/(start|stop|shutdown|reboot|reset|suspend|resume)|vncproxy|termproxy|vzdump|rollback)$/.test(next)
        ) {
          expect(probe.status, next).toBe(501);
          continue;
        }
        // Served: 200, or 400 where a required parameter (rrddata's timeframe) is missing.
        expect([200, 400], next).toContain(probe.status);
        await walk(next);
      }
    };
    await walk('');
    expect(seen).toEqual(
      expect.arrayContaining([
        '/cluster/resources',
        '/access/permissions',
        '/nodes/pve-a/lxc/200',
        '/nodes/pve-a/qemu/100/status/current',
        '/nodes/pve-a/lxc/200/rrddata',
        '/nodes/pve-a/storage/local/content',
        '/nodes/pve-a/qemu/100/snapshot/base/config',
        '/nodes/pve-a/qemu/100/agent/network-get-interfaces',
      ]),
    );
  });
});

describe('read endpoints', () => {
  it('/cluster/status names the cluster, its quorum and the local node', async () => {
    const data = (await get('/cluster/status')).body.data as Record<string, unknown>[];
    expect(data[0]).toMatchObject({ type: 'cluster', id: 'cluster', name: 'lab', nodes: 2, quorate: 1 });
    expect(data.filter((e) => e.type === 'node')).toEqual([
      expect.objectContaining({ name: 'pve-a', online: 1, local: 1, id: 'node/pve-a' }),
      expect.objectContaining({ name: 'pve-b', online: 1, local: 0 }),
    ]);
    const soloStatus = (await call(solo, 'GET', '/cluster/status', { token: solo.token })).body.data;
    expect(soloStatus).toEqual([expect.objectContaining({ type: 'node', name: 'solo', local: 1, online: 1 })]);
  });

  it('/cluster/resources lists every guest with figures, filtered by type', async () => {
    const vms = (await get('/cluster/resources', { type: 'vm' })).body.data as Record<string, unknown>[];
    expect(vms.map((v) => v.id)).toEqual([
      'qemu/100',
      'qemu/101',
      'qemu/102',
      'qemu/103',
      'qemu/104',
      'qemu/105',
      'lxc/200',
      'lxc/201',
      'qemu/300',
      'lxc/301',
    ]);
    expect(vms[0]).toMatchObject({
      vmid: 100,
      node: 'pve-a',
      type: 'qemu',
      status: 'running',
      name: 'web',
      template: 0,
      maxcpu: expect.any(Number),
      cpu: expect.any(Number),
      maxmem: expect.any(Number),
      mem: expect.any(Number),
      uptime: expect.any(Number),
      pool: 'prod',
      tags: 'prod;web',
    });
    expect(vms.find((v) => v.vmid === 102)?.status).toBe('paused');
    expect(vms.find((v) => v.vmid === 103)?.hastate).toBe('stopped');
    expect(vms.find((v) => v.vmid === 104)?.lock).toBe('backup');
    expect(vms.find((v) => v.vmid === 105)?.template).toBe(1);
    expect(vms.find((v) => v.vmid === 101)?.name).toBe(HOSTILE_NAME);
    const nodes = (await get('/cluster/resources', { type: 'node' })).body.data as Record<string, unknown>[];
    expect(nodes.map((n) => n.id)).toEqual(['node/pve-a', 'node/pve-b']);
    const all = (await get('/cluster/resources')).body.data as Record<string, unknown>[];
    expect(new Set(all.map((r) => r.type))).toEqual(new Set(['qemu', 'lxc', 'node', 'storage', 'pool']));
    const bad = await get('/cluster/resources', { type: 'vms' });
    expect(bad.body.errors).toEqual({
      type: "value 'vms' does not have a value in the enumeration 'vm, storage, node, sdn'",
    });
  });

  it('node guest lists show qemu status only as running|stopped; qmpstatus with full=1', async () => {
    const list = (await get('/nodes/pve-a/qemu')).body.data as Record<string, unknown>[];
    expect(list.map((g) => g.vmid)).toEqual([100, 101, 102, 103, 104, 105]);
    const paused = list.find((g) => g.vmid === 102);
    expect(paused?.status).toBe('running');
    expect(paused?.qmpstatus).toBeUndefined();
    const full = (await get('/nodes/pve-a/qemu', { full: 1 })).body.data as Record<string, unknown>[];
    expect(full.find((g) => g.vmid === 102)?.qmpstatus).toBe('paused');
    const cts = (await get('/nodes/pve-a/lxc')).body.data as Record<string, unknown>[];
    expect(cts.map((g) => [g.vmid, g.status, g.type])).toEqual([
      [200, 'running', 'lxc'],
      [201, 'stopped', 'lxc'],
    ]);
  });

  it('status/current reports qmpstatus and HA state', async () => {
    const paused = (await get('/nodes/pve-a/qemu/102/status/current')).body.data;
    expect(paused).toMatchObject({ vmid: 102, status: 'running', qmpstatus: 'paused', ha: { managed: 0 } });
    const ha = (await get('/nodes/pve-a/qemu/103/status/current')).body.data;
    expect(ha).toMatchObject({ status: 'stopped', qmpstatus: 'stopped', ha: { managed: 1, state: 'stopped' } });
    const ct = (await get('/nodes/pve-a/lxc/200/status/current')).body.data;
    expect(ct).toMatchObject({ vmid: 200, status: 'running', type: 'lxc', ha: { managed: 0 } });
    expect(ct.qmpstatus).toBeUndefined();
  });

  it('returns names, notes and pool comments verbatim', async () => {
    const config = (await get('/nodes/pve-a/qemu/101/config')).body.data;
    expect(config).toMatchObject({ name: HOSTILE_NAME, description: '<script>x</script>', digest: expect.any(String) });
    const pools = (await get('/pools')).body.data;
    expect(pools).toEqual([{ poolid: 'lab', comment: 'Lab <b>pool</b>' }, { poolid: 'prod' }]);
    const members = (await get('/pools', { poolid: 'lab' })).body.data[0].members as { id: string }[];
    expect(members.map((m) => m.id)).toEqual(['qemu/101', 'lxc/200']);
  });

  it('/nodes/{node}/status has the node figures', async () => {
    const data = (await get('/nodes/pve-a/status')).body.data;
    expect(data).toMatchObject({
      cpu: expect.any(Number),
      uptime: expect.any(Number),
      memory: { total: expect.any(Number), used: expect.any(Number) },
      cpuinfo: { cpus: 16 },
      pveversion: expect.stringMatching(/^pve-manager\//),
    });
    expect(data.loadavg).toHaveLength(3);
  });

  it('rrddata returns 70 points per timeframe that move, MAX above AVERAGE', async () => {
    const hour = (await get('/nodes/pve-a/qemu/100/rrddata', { timeframe: 'hour' })).body.data as Record<
      string,
      number
    >[];
    expect(hour).toHaveLength(70);
    expect((hour[1]?.time ?? 0) - (hour[0]?.time ?? 0)).toBe(60);
    for (const key of ['cpu', 'mem', 'maxmem', 'maxcpu', 'disk', 'netin', 'netout', 'diskread', 'diskwrite']) {
      expect(hour[0]?.[key], key).toEqual(expect.any(Number));
    }
    expect(new Set(hour.map((p) => p.cpu)).size).toBeGreaterThan(10);
    const max = (await get('/nodes/pve-a/qemu/100/rrddata', { timeframe: 'hour', cf: 'MAX' })).body.data as Record<
      string,
      number
    >[];
    expect(max[10]?.time).toBe(hour[10]?.time);
    expect(max[10]?.cpu ?? 0).toBeGreaterThan(hour[10]?.cpu ?? 0);
    for (const [timeframe, step] of [
      ['day', 1800],
      ['week', 10800],
      ['month', 43200],
      ['year', 604800],
    ] as const) {
      const points = (await get('/nodes/pve-a/lxc/200/rrddata', { timeframe })).body.data as Record<string, number>[];
      expect((points[1]?.time ?? 0) - (points[0]?.time ?? 0)).toBe(step);
    }
    expect((await get('/nodes/pve-a/qemu/100/rrddata')).body.errors).toEqual({
      timeframe: 'property is missing and it is not optional',
    });
    expect((await get('/nodes/pve-a/qemu/100/rrddata', { timeframe: 'hour', cf: 'MIN' })).status).toBe(400);
    const stopped = (await get('/nodes/pve-a/lxc/201/rrddata', { timeframe: 'hour' })).body.data as Record<
      string,
      number
    >[];
    expect(stopped.every((p) => p.cpu === 0)).toBe(true);
  });

  it('figures move over time: counters grow while a guest runs', async () => {
    const first = (await get('/nodes/pve-a/qemu/100/status/current')).body.data;
    await new Promise((r) => setTimeout(r, 1100));
    const second = (await get('/nodes/pve-a/qemu/100/status/current')).body.data;
    expect(second.uptime).toBeGreaterThan(first.uptime);
    expect(second.netin).toBeGreaterThan(first.netin);
  });
});

describe('request log', () => {
  it('records every API request', async () => {
    const before = a.requestLog.length;
    await get('/cluster/resources', { type: 'vm' });
    expect(a.requestLog.length).toBe(before + 1);
    expect(a.requestLog.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api2/json/cluster/resources',
      query: 'type=vm',
    });
  });
});
