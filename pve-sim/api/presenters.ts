// Builds the guest and node objects of the API answers field by field, as the real handlers do,
// including what disappears when a node is offline or the caller lacks Sys.Audit.
import type { ClusterState, NodeState } from '../model/cluster-state';
import { guestFigures, nodeFigures } from '../model/figures';
import { configDigest, type GuestSettings } from '../model/guest-config';
import type { GuestType, SimGuest, SimSnapshot } from '../model/sim-guest';

/** One guest in /cluster/resources (and pool members). An offline node's guests are `unknown`
 * and lose name and figures: they come from the RRD cache, which that node no longer feeds. */
export function guestResource(cluster: ClusterState, guest: SimGuest, now: number): Record<string, unknown> {
  const node = cluster.nodes.get(guest.node);
  const entry: Record<string, unknown> = {
    id: `${guest.type}/${guest.vmid}`,
    type: guest.type,
    vmid: guest.vmid,
    node: guest.node,
  };
  if (!node?.online) {
    entry.status = 'unknown';
  } else {
    const f = guestFigures(guest, now);
    // For QEMU the resource status is the QMP state (running, paused, …) or stopped.
    entry.status = guest.type === 'qemu' ? guest.qmpstatus : guest.status;
    if (guest.name !== undefined) entry.name = guest.name;
    Object.assign(entry, {
      template: guest.template ? 1 : 0,
      maxcpu: guest.cpus,
      cpu: f.cpu,
      maxmem: guest.maxmem,
      mem: f.mem,
      maxdisk: guest.maxdisk,
      disk: f.disk,
      netin: f.netin,
      netout: f.netout,
      diskread: f.diskread,
      diskwrite: f.diskwrite,
      uptime: f.uptime,
    });
  }
  if (guest.pool !== undefined) entry.pool = guest.pool;
  if (guest.tags.length > 0) entry.tags = guest.tags.join(';');
  if (guest.lock !== undefined) entry.lock = guest.lock;
  if (guest.ha.managed) entry.hastate = guest.ha.state;
  return entry;
}

/** One guest of /nodes/{node}/qemu|lxc: status is only running|stopped here. */
export function guestListEntry(guest: SimGuest, now: number, full: boolean): Record<string, unknown> {
  const f = guestFigures(guest, now);
  const entry: Record<string, unknown> = {
    vmid: guest.vmid,
    status: guest.status,
    cpus: guest.cpus,
    cpu: f.cpu,
    maxmem: guest.maxmem,
    mem: f.mem,
    maxdisk: guest.maxdisk,
    disk: f.disk,
    netin: f.netin,
    netout: f.netout,
    diskread: f.diskread,
    diskwrite: f.diskwrite,
    uptime: f.uptime,
  };
  if (guest.name !== undefined) entry.name = guest.name;
  if (guest.running) entry.pid = 1000 + (guest.seed % 900_000);
  if (guest.template) entry.template = 1;
  if (guest.tags.length > 0) entry.tags = guest.tags.join(';');
  if (guest.lock !== undefined) entry.lock = guest.lock;
  if (guest.type === 'lxc') {
    entry.type = 'lxc';
    entry.maxswap = 512 * 1024 ** 2;
  } else if (full && guest.running) {
    entry.qmpstatus = guest.qmpstatus;
    entry['running-machine'] = 'pc-q35-10.1+pve1';
    entry['running-qemu'] = '10.1.2';
  }
  return entry;
}

/** GET …/status/current */
export function guestStatus(guest: SimGuest, now: number): Record<string, unknown> {
  const entry = guestListEntry(guest, now, true);
  entry.ha = guest.ha.managed ? { managed: 1, state: guest.ha.state } : { managed: 0 };
  if (guest.type === 'qemu') {
    entry.qmpstatus = guest.qmpstatus;
    if (guest.agent) entry.agent = 1;
    entry.clipboard = 'vnc';
    if (!guest.running) {
      delete entry['running-machine'];
      delete entry['running-qemu'];
    }
  }
  return entry;
}

export function nodeSummary(cluster: ClusterState, node: NodeState, now: number, withFigures: boolean) {
  const entry: Record<string, unknown> = {
    node: node.name,
    status: node.online ? 'online' : 'offline',
    type: 'node',
    id: `node/${node.name}`,
    ssl_fingerprint: node.fingerprint,
    level: '',
  };
  if (node.online && withFigures) {
    const f = nodeFigures(node, cluster.guestsOn(node.name), now);
    Object.assign(entry, {
      cpu: f.cpu,
      maxcpu: node.cpus,
      mem: f.mem,
      maxmem: node.memory,
      disk: cluster.rootfsUsed(node, now),
      maxdisk: node.disk,
      uptime: f.uptime,
    });
  }
  return entry;
}

/** The entries of a configuration: QEMU writes `name` and memory as text, a container `hostname`
 * and memory as a number. */
export function configEntries(type: GuestType, settings: GuestSettings): Record<string, unknown> {
  const memoryMiB = Math.round(settings.maxmem / 1024 ** 2);
  const entries: Record<string, unknown> = { cores: settings.cpus };
  if (type === 'qemu') {
    if (settings.name !== undefined) entries.name = settings.name;
    entries.memory = String(memoryMiB);
    if (settings.agent) entries.agent = '1';
  } else {
    if (settings.name !== undefined) entries.hostname = settings.name;
    entries.memory = memoryMiB;
  }
  Object.assign(entries, settings.hardware);
  if (settings.tags.length > 0) entries.tags = settings.tags.join(';');
  return entries;
}

/** The SHA-1 the config API reports, changing whenever the configuration file would. */
export function guestDigest(guest: SimGuest): string {
  const snapshots = [...guest.snapshots.values()].map((s) => [s.name, s.parent, s.description, s.snapstate]);
  return configDigest([guest.settings(), guest.description, guest.lock, guest.parent, guest.template, snapshots]);
}

/** GET …/config: the current configuration (pending changes do not exist in pve-sim). */
export function currentConfig(guest: SimGuest): Record<string, unknown> {
  const config: Record<string, unknown> = {
    digest: guestDigest(guest),
    ...configEntries(guest.type, guest.settings()),
  };
  if (guest.description !== undefined) config.description = guest.description;
  if (guest.template) config.template = 1;
  if (guest.lock !== undefined) config.lock = guest.lock;
  if (guest.parent !== undefined) config.parent = guest.parent;
  return config;
}

/** load_snapshot_config: the snapshot's section, with the digest of the whole file. */
export function snapshotConfig(guest: SimGuest, snap: SimSnapshot): Record<string, unknown> {
  const config: Record<string, unknown> = configEntries(guest.type, snap.settings);
  if (guest.template) config.template = 1;
  if (snap.parent !== undefined) config.parent = snap.parent;
  if (snap.description !== undefined) config.description = snap.description;
  config.snaptime = snap.snaptime;
  if (snap.vmstate !== undefined) {
    Object.assign(config, {
      vmstate: snap.vmstate,
      runningmachine: 'pc-q35-10.1+pve1',
      runningcpu: 'x86-64-v2-AES,+aes,+popcnt,+sse4.1,+sse4.2,+ssse3,enforce',
    });
  }
  if (snap.snapstate !== undefined) config.snapstate = snap.snapstate;
  config.digest = guestDigest(guest);
  return config;
}
