// The simulated estate of `npm run demo` (and of the README's screenshots): a two-node cluster,
// a standalone edge node and a small backup box, with the usual mix of VMs and containers.
import type { Scenario } from '../pve-sim/index';

type Guest = NonNullable<Scenario['clusters'][number]['guests']>[number];

const GiB = 1024 ** 3;

function guest(
  vmid: number,
  name: string,
  node: string,
  opts: Partial<Omit<Guest, 'vmid' | 'name' | 'node'>> = {},
): Guest {
  return { vmid, name, node, type: 'qemu', status: 'running', cpus: 2, memory: 4 * GiB, disk: 32 * GiB, ...opts };
}

export const DEMO_SCENARIO: Scenario = {
  seed: 42,
  clusters: [
    {
      name: 'lab',
      nodes: [{ name: 'pve1' }, { name: 'pve2' }],
      endpoints: [{ node: 'pve1', name: 'pve-lab' }],
      pools: [{ poolid: 'production' }, { poolid: 'staging' }],
      guests: [
        guest(100, 'web-01', 'pve1', { tags: ['prod', 'web'], pool: 'production', agent: true }),
        guest(101, 'web-02', 'pve2', { tags: ['prod', 'web'], pool: 'production', agent: true }),
        guest(102, 'db-01', 'pve1', {
          tags: ['prod', 'db'],
          pool: 'production',
          cpus: 8,
          memory: 32 * GiB,
          disk: 500 * GiB,
        }),
        guest(103, 'db-02', 'pve2', { tags: ['prod', 'db'], pool: 'production', cpus: 8, memory: 32 * GiB, ha: true }),
        guest(104, 'cache-01', 'pve1', { type: 'lxc', tags: ['prod'], memory: 2 * GiB }),
        guest(105, 'build-runner', 'pve2', { cpus: 16, memory: 16 * GiB, tags: ['ci'] }),
        guest(106, 'staging-app', 'pve1', { status: 'stopped', pool: 'staging', tags: ['staging'] }),
        guest(107, 'win-desktop', 'pve2', { status: 'paused', memory: 8 * GiB, disk: 128 * GiB }),
        guest(108, 'dns-01', 'pve1', { type: 'lxc', memory: 512 * 1024 ** 2, tags: ['infra'] }),
        guest(9000, 'debian-13-template', 'pve2', { status: 'stopped', template: true }),
      ],
    },
    {
      name: null,
      nodes: [{ name: 'edge1', cpus: 8, memory: 32 * GiB }],
      endpoints: [{ node: 'edge1', name: 'pve-edge' }],
      guests: [
        guest(200, 'vpn-gateway', 'edge1', { type: 'lxc', tags: ['infra', 'edge'], memory: GiB }),
        guest(201, 'proxy-01', 'edge1', { tags: ['edge'], agent: true }),
        guest(202, 'monitoring', 'edge1', { cpus: 4, memory: 8 * GiB, tags: ['infra'] }),
        guest(203, 'iot-hub', 'edge1', { type: 'lxc', status: 'stopped', tags: ['lab'] }),
      ],
    },
    {
      name: null,
      nodes: [{ name: 'bak1', cpus: 4, memory: 16 * GiB }],
      endpoints: [{ node: 'bak1', name: 'pve-backup' }],
      guests: [
        guest(300, 'backup-server', 'bak1', { cpus: 4, memory: 8 * GiB, disk: 2000 * GiB, tags: ['infra'] }),
        guest(301, 'archive', 'bak1', { type: 'lxc', status: 'stopped' }),
        guest(302, 'restore-test', 'bak1', { status: 'stopped', tags: ['lab'] }),
      ],
    },
  ],
};

/** Health history per server name, for seedHealthHistory. */
export const DEMO_HISTORY: Record<string, { baseMs: number; failureRate: number; outage?: [number, number] }> = {
  'pve-lab': { baseMs: 18, failureRate: 0.002 },
  'pve-edge': { baseMs: 64, failureRate: 0.03, outage: [9, 8] },
  'pve-backup': { baseMs: 35, failureRate: 0.01 },
};
