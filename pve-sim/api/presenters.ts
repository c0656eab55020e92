// Builds the guest and node objects of the API answers field by field, as the real handlers do,
// including what disappears when a node is offline or the caller lacks Sys.Audit.
import type { ClusterState, NodeState } from '../model/cluster-state';
import { guestFigures, nodeFigures } from '../model/figures';
import type { SimGuest } from '../model/sim-guest';

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
      disk: f.disk,
      maxdisk: node.disk,
      uptime: f.uptime,
    });
  }
  return entry;
}
