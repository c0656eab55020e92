// The scenario generated for `--servers N --nodes M --vms K`: each server is a cluster of M
// nodes (a standalone node when M is 1) with K guests that cover what the broker must render:
// qemu and lxc, running/stopped/paused, a template, tags, pools, an HA guest, a locked guest,
// backups of every guest, snapshot trees, serial ports, a guest agent that does not answer, and
// names, notes and task log lines with odd and hostile characters.
import { seededRandom } from '../model/random';
import type { Scenario } from './scenario.schema';

type ClusterInput = Scenario['clusters'][number];
type GuestInput = NonNullable<ClusterInput['guests']>[number];

export interface DefaultScenarioOptions {
  servers?: number;
  nodes?: number;
  vms?: number;
  seed?: number;
}

const NAMES = ['web', 'db', 'mail', 'proxy', 'build', 'cache', 'dns', 'git', 'backup', 'monitor', 'vpn', 'ci'];
const HOSTILE_NAMES = [
  '<img src=x onerror=alert(1)>',
  `"quoted" & 'apos' ünïcødé ✓ 名前`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: literal Log4Shell-style text, to be shown, never interpreted
  '${jndi:ldap://x}; rm -rf / #',
];

function guestName(index: number, serverIndex: number): string {
  const base = NAMES[index % NAMES.length] ?? 'vm';
  return `${base}-${serverIndex}-${String(index + 1).padStart(2, '0')}`;
}

function guests(count: number, nodes: string[], serverIndex: number, random: () => number): GuestInput[] {
  const out: GuestInput[] = [];
  for (let i = 0; i < count; i++) {
    const vmid = 100 + i;
    const node = nodes[i % nodes.length] ?? 'pve';
    const type = i % 3 === 2 ? 'lxc' : 'qemu';
    const guest: GuestInput = {
      vmid,
      type,
      node,
      name: guestName(i, serverIndex),
      status: random() < 0.6 ? 'running' : 'stopped',
      cpus: [1, 2, 4, 8][Math.floor(random() * 4)] ?? 2,
      memory: (type === 'lxc' ? 512 : 2048) * 1024 ** 2 * (1 + Math.floor(random() * 4)),
      disk: (8 + Math.floor(random() * 120)) * 1024 ** 3,
      tags: i % 4 === 0 ? ['prod', 'web'] : i % 5 === 1 ? ['lab'] : [],
      pool: i % 3 === 0 ? 'production' : i % 7 === 1 ? 'lab' : undefined,
      agent: type === 'qemu' && i % 2 === 0,
    };
    guest.backups = [
      { ageHours: 26 + (i % 5), notes: `nightly ${guest.name}` },
      { ageHours: 170 + i, compress: i % 4 === 1 ? '0' : 'zstd' },
    ];
    if (type === 'qemu' && i % 3 === 0) {
      guest.snapshots = [
        { name: 'before-upgrade', description: 'apt full-upgrade', ageHours: 96 },
        { name: 'after-upgrade', vmstate: true, ageHours: 30 },
        { name: 'experiment', parent: 'before-upgrade', ageHours: 6 },
      ];
      guest.currentSnapshot = 'after-upgrade';
    }
    if (type === 'lxc' && i % 2 === 0) guest.snapshots = [{ name: 'initial', description: 'as deployed' }];
    if (type === 'qemu' && i % 4 === 1) guest.config = { serial0: 'socket' };
    // Fixed positions for the special cases so that every generated server has them.
    if (i === 1) {
      guest.name = HOSTILE_NAMES[0];
      guest.taskLog = ['hookscript: <script>alert("task log")</script>', '<img src=x onerror=alert("log")> & more'];
    }
    if (i === 3) {
      guest.name = HOSTILE_NAMES[1];
      guest.description = '<script>alert("notes")</script> **markdown** & friends';
      guest.backups = [{ ageHours: 50, notes: '<img src=x onerror=alert("backup")> & more' }];
      guest.snapshots = [{ name: 'hostile', description: '<script>alert("snapshot")</script>' }];
      guest.currentSnapshot = undefined;
    }
    if (i === 4) {
      guest.ha = true;
      guest.status = 'running';
      // The agent is configured but does not answer ("QEMU guest agent is not running").
      guest.agentRunning = false;
    }
    if (i === 5) guest.lock = 'backup';
    if (i === 6) guest.status = 'paused';
    if (i === 7) guest.name = HOSTILE_NAMES[2];
    if (i === count - 1 && count > 2) {
      guest.template = true;
      guest.status = 'stopped';
      guest.name = `${type === 'qemu' ? 'debian-13' : 'alpine'}-template`;
      guest.vmid = 9000 + serverIndex;
    }
    out.push(guest);
  }
  return out;
}

export function defaultScenario(options: DefaultScenarioOptions = {}): Scenario {
  const servers = options.servers ?? 1;
  const nodeCount = options.nodes ?? 1;
  const vms = options.vms ?? 10;
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const clusters: ClusterInput[] = [];
  for (let s = 1; s <= servers; s++) {
    const nodes = nodeCount === 1 ? [`pve${s}`] : Array.from({ length: nodeCount }, (_, j) => `pve${s}-${j + 1}`);
    clusters.push({
      name: nodeCount === 1 ? null : `cluster${s}`,
      nodes: nodes.map((name) => ({ name })),
      pools: [{ poolid: 'production', comment: 'Production <b>guests</b>' }, { poolid: 'lab' }],
      guests: guests(vms, nodes, s, random),
    });
  }
  return { seed, clusters };
}
