import { describe, expect, it } from 'vitest';
import { startPveSim } from '../launcher';
import { defaultScenario } from './default-scenario';
import { Scenario } from './scenario.schema';

describe('defaultScenario', () => {
  it('builds one cluster per server, nodes named after it, standalone when nodes is 1', () => {
    const standalone = Scenario.parse(defaultScenario({ servers: 2, vms: 3 }));
    expect(standalone.clusters.map((c) => [c.name, c.nodes.map((n) => n.name)])).toEqual([
      [null, ['pve1']],
      [null, ['pve2']],
    ]);
    const clustered = Scenario.parse(defaultScenario({ servers: 1, nodes: 3, vms: 6 }));
    expect(clustered.clusters[0]?.name).toBe('cluster1');
    expect(new Set(clustered.clusters[0]?.guests.map((g) => g.node))).toEqual(new Set(['pve1-1', 'pve1-2', 'pve1-3']));
  });

  it('covers what a broker must render: both types, states, template, tags, pools, HA, lock, hostile text', () => {
    const guests = Scenario.parse(defaultScenario({ vms: 20 })).clusters[0]?.guests ?? [];
    expect(guests).toHaveLength(20);
    const has = (pred: (g: (typeof guests)[number]) => boolean) => guests.some(pred);
    expect(has((g) => g.type === 'qemu') && has((g) => g.type === 'lxc')).toBe(true);
    expect(has((g) => g.status === 'running') && has((g) => g.status === 'stopped')).toBe(true);
    expect(has((g) => g.status === 'paused')).toBe(true);
    expect(has((g) => g.template)).toBe(true);
    expect(has((g) => g.tags.length > 0) && has((g) => g.pool !== undefined)).toBe(true);
    expect(has((g) => g.ha) && has((g) => g.lock === 'backup')).toBe(true);
    expect(has((g) => g.name === '<img src=x onerror=alert(1)>')).toBe(true);
    expect(has((g) => (g.description ?? '').includes('<script>'))).toBe(true);
    expect(new Set(guests.map((g) => g.vmid)).size).toBe(20);
  });

  it('gives every guest backups and some of them snapshot trees, serial ports and a silent agent', () => {
    const guests = Scenario.parse(defaultScenario({ vms: 12 })).clusters[0]?.guests ?? [];
    expect(guests.every((g) => g.backups.length >= 1)).toBe(true);
    expect(guests.some((g) => g.type === 'qemu' && g.snapshots.some((s) => s.parent !== undefined))).toBe(true);
    expect(guests.some((g) => g.type === 'lxc' && g.snapshots.length > 0)).toBe(true);
    expect(guests.some((g) => g.config.serial0 === 'socket')).toBe(true);
    expect(guests.some((g) => g.agent && !g.agentRunning)).toBe(true);
    expect(guests.some((g) => g.backups.some((b) => (b.notes ?? '').includes('<img')))).toBe(true);
  });

  it('is deterministic for a seed', () => {
    expect(defaultScenario({ vms: 8, seed: 3 })).toEqual(defaultScenario({ vms: 8, seed: 3 }));
    expect(defaultScenario({ vms: 8, seed: 3 })).not.toEqual(defaultScenario({ vms: 8, seed: 4 }));
  });
});

describe('scenario validation', () => {
  it('lists every problem at once', async () => {
    const scenario: Scenario = {
      clusters: [
        {
          nodes: [{ name: 'a' }, { name: 'b' }],
          endpoints: ['c'],
          guests: [
            { vmid: 100, type: 'qemu', node: 'x' },
            { vmid: 100, type: 'lxc', node: 'a', pool: 'nope', status: 'paused' },
          ],
          tokens: [{ userid: 'ghost@pve', tokenid: 't' }],
        },
      ],
    };
    const error = await startPveSim({ scenario }).then(
      () => new Error('started'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toContain('a standalone node (name null) has exactly one node');
    expect(error.message).toContain('unknown node x');
    expect(error.message).toContain('duplicate vmid 100');
    expect(error.message).toContain('unknown pool nope');
    expect(error.message).toContain('only qemu guests pause');
    expect(error.message).toContain('unknown user ghost@pve');
    expect(error.message).toContain('unknown endpoint node c');
  });

  it('refuses snapshots and backups a real server could not have', () => {
    const parsed = Scenario.safeParse({
      clusters: [
        {
          nodes: [{ name: 'a' }],
          guests: [
            {
              vmid: 100,
              type: 'lxc',
              node: 'a',
              snapshots: [{ name: 'vzdump' }, { name: 'x1', parent: 'later', vmstate: true }, { name: 'later' }],
              currentSnapshot: 'ghost',
              backups: [{ storage: 'local-lvm' }],
            },
            { vmid: 101, type: 'qemu', node: 'a', snapshots: [{ name: 'a' }, { name: 'ok' }, { name: 'ok' }] },
          ],
        },
      ],
    });
    const messages = parsed.success ? [] : parsed.error.issues.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "guest 100: snapshot name 'vzdump' is reserved",
        "guest 100: snapshot 'x1': parent 'later' must be listed before it",
        "guest 100: snapshot 'x1': containers have no RAM state",
        "guest 100: unknown current snapshot 'ghost'",
        "guest 100: backups live on storage 'local', not 'local-lvm'",
        "guest 101: duplicate snapshot 'ok'",
        expect.stringContaining('snapshot names are configuration IDs'),
      ]),
    );
  });

  it('refuses anything but loopback', async () => {
    await expect(startPveSim({ host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.0\/8 only/);
  });

  it('applies users, tokens, custom roles and endpoints from the file', async () => {
    const sim = await startPveSim({
      authFailDelayMs: 10,
      scenario: {
        clusters: [
          {
            name: 'c1',
            nodes: [{ name: 'n1' }, { name: 'n2', online: false }],
            endpoints: ['n1', { node: 'n2', name: 'second' }],
            roles: { Watcher: ['VM.Audit'] },
            users: [{ userid: 'w@pve', acls: [{ path: '/vms', role: 'Watcher' }] }],
            tokens: [
              {
                userid: 'w@pve',
                tokenid: 'ro',
                secret: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
                acls: [{ path: '/', privs: ['VM.Audit'] }],
              },
            ],
            guests: [{ vmid: 100, type: 'qemu', node: 'n1' }],
          },
        ],
      },
    });
    try {
      expect(sim.servers.map((s) => s.name)).toEqual(['n1', 'second']);
      const { call } = await import('../test-support/sim-client');
      const s = sim.servers[0];
      if (!s) throw new Error('no server');
      const token = 'w@pve!ro=aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
      const perms = (await call(s, 'GET', '/access/permissions', { token })).body.data;
      expect(perms).toEqual({ '/vms': { 'VM.Audit': 1 } });
      const nodes = (await call(s, 'GET', '/nodes', { token: s.token })).body.data as {
        node: string;
        status: string;
      }[];
      expect(nodes.map((n) => [n.node, n.status])).toEqual([
        ['n1', 'online'],
        ['n2', 'offline'],
      ]);
    } finally {
      await sim.close();
    }
  });
});
