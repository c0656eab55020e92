// The shared state of one simulated cluster (or standalone node): nodes, guests, pools, accounts,
// tasks and console tickets. Every HTTPS endpoint of the cluster reads and changes this one object,
// as every pveproxy of a real cluster sees the same /etc/pve.
import { randomBytes } from 'node:crypto';
import type { ClusterSpec } from '../scenario/scenario.schema';
import { TermRecorder } from '../term/term-recorder';
import type { TerminalTarget } from '../term/terminal-target';
import { Accounts } from './accounts';
import { nodeFigures } from './figures';
import { hashSeed, type Random } from './random';
import { SimGuest } from './sim-guest';
import {
  type BackupVolume,
  findStorage,
  type StorageDef,
  seededBackup,
  storageUsage,
  storageVolumes,
  type VolumeEntry,
} from './storage';
import { TaskRegistry } from './tasks';

export interface SimTiming {
  /** Delay of every 401 answer (pveproxy: 3 s). */
  authFailDelayMs: number;
  /** How long a power-action task runs before it changes the guest's state. */
  taskDurationMs: number;
  /** vncproxy's listener gives up when nobody connects within this time (10 s). */
  vncAcceptWindowMs: number;
  /** A vncticket is accepted this long after vncproxy issued it (~40 s). */
  vncTicketValidityMs: number;
  /** VNC authentication must complete within this time after the websocket connects (30 s). */
  vncPasswordWindowMs: number;
  /** A QEMU console closes after this long without traffic either way (15 min). */
  consoleIdleMs: number;
  /** termproxy waits this long for the `<authid>:<ticket>` line after the connection (10 s). */
  termAuthWindowMs: number;
}

export const DEFAULT_TIMING: SimTiming = {
  authFailDelayMs: 3000,
  taskDurationMs: 1000,
  vncAcceptWindowMs: 10_000,
  vncTicketValidityMs: 40_000,
  vncPasswordWindowMs: 30_000,
  consoleIdleMs: 15 * 60_000,
  termAuthWindowMs: 10_000,
};

/** What a console proxy serves: a guest's VNC display (vncproxy), or a terminal through
 * termproxy (a container's console, a VM's serial port, a node's shell). */
export type ListenerTarget =
  | { kind: 'vnc'; guest: SimGuest; password: string }
  | {
      kind: 'term';
      terminal: TerminalTarget;
      /** The ticket termproxy got on its pinned file descriptor (--ticket-fd). */
      ticket: string;
      /** --path and --perm: the ACL path the ticket is bound to and the privilege checked there. */
      path: string;
      privilege: string;
    };

/** How a proxy ended: its task's exit status follows from it. */
type ListenerEnd = 'timeout' | 'done' | 'shutdown' | 'failed';

export interface ConsoleListener {
  port: number;
  authid: string;
  upid: string;
  target: ListenerTarget;
  state: 'listening' | 'connected' | 'closed';
  timer: NodeJS.Timeout | undefined;
  /** `detail`: the proxy's last words for a failure (its task log's last line before the end). */
  close(reason: ListenerEnd, detail?: string): void;
}

export class NodeState {
  readonly name: string;
  online: boolean;
  readonly cpus: number;
  readonly memory: number;
  readonly disk: number;
  readonly ip: string;
  readonly nodeid: number;
  readonly bootTime: number;
  readonly seed: number;
  /** ssl_fingerprint and the PEM that vncproxy returns as `cert`; set by the endpoint serving it. */
  fingerprint: string;
  certPem = '';
  /** VNC proxy and termproxy listeners by port (5900–5999) on this host. */
  readonly consoles = new Map<number, ConsoleListener>();
  /** Backup archives on this node's storages (`local`). */
  readonly backups: BackupVolume[] = [];
  /** What arrived at this node's shell through termproxy. */
  readonly terminal = new TermRecorder();

  constructor(spec: ClusterSpec['nodes'][number], nodeid: number, now: number) {
    this.name = spec.name;
    this.online = spec.online;
    this.cpus = spec.cpus;
    this.memory = spec.memory;
    this.disk = spec.disk;
    this.ip = spec.ip ?? `10.10.0.${nodeid}`;
    this.nodeid = nodeid;
    this.seed = hashSeed(spec.name);
    this.bootTime = now - (86400 * 3 + (this.seed % 86400) * 20) * 1000;
    // Nodes without an endpoint still report a fingerprint; nobody connects to them.
    this.fingerprint = randomBytes(32)
      .toString('hex')
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1:');
  }
}

/** A PVEVNC ticket as assemble_vnc_ticket binds it: to the authid, an ACL path (`/vms/100`,
 * `/nodes/pve1`) and the port. */
export interface VncTicketRecord {
  authid: string;
  path: string;
  port: number;
  issuedAt: number;
}

export class ClusterState {
  readonly name: string | null;
  readonly nodes = new Map<string, NodeState>();
  readonly guests = new Map<number, SimGuest>();
  readonly pools = new Map<string, { poolid: string; comment: string | undefined }>();
  readonly accounts: Accounts;
  readonly tasks: TaskRegistry;
  /** Issued vnc tickets; verification needs the exact string, so a mangled ticket fails. */
  readonly vncTickets = new Map<string, VncTicketRecord>();
  /** Signs vnc tickets (PVE uses the cluster's RSA key). */
  readonly ticketKey = randomBytes(32);
  /** The token with full rights that SimServer.token reports. */
  readonly adminToken: string;
  readonly rootPassword: string;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    spec: ClusterSpec,
    readonly timing: SimTiming,
    readonly random: Random,
    readonly now: () => number = Date.now,
  ) {
    const start = now();
    this.name = spec.name;
    spec.nodes.forEach((n, i) => {
      this.nodes.set(n.name, new NodeState(n, i + 1, start));
    });
    for (const pool of spec.pools) this.pools.set(pool.poolid, { poolid: pool.poolid, comment: pool.comment });
    for (const g of spec.guests) {
      const guest = new SimGuest(g, start);
      this.guests.set(g.vmid, guest);
      const node = this.nodes.get(g.node);
      for (const backup of g.backups) node?.backups.push(seededBackup(guest, backup, start));
    }
    this.accounts = new Accounts(now);
    for (const [role, privs] of Object.entries(spec.roles)) this.accounts.roles.set(role, privs);
    this.rootPassword = spec.rootPassword ?? randomBytes(12).toString('base64url');
    this.accounts.addUser({ userid: 'root@pam', password: this.rootPassword, enabled: true, expire: 0, acls: [] });
    for (const u of spec.users) {
      this.accounts.addUser({ ...u, acls: this.accounts.resolveAcls(u.acls) });
    }
    for (const t of spec.tokens) {
      this.accounts.addToken({
        ...t,
        secret: t.secret ?? Accounts.newSecret(),
        acls: this.accounts.resolveAcls(t.acls),
      });
    }
    this.adminToken = this.accounts.addToken({
      userid: 'root@pam',
      tokenid: spec.adminToken.tokenid,
      secret: spec.adminToken.secret ?? Accounts.newSecret(),
      privsep: false,
      expire: 0,
      acls: [],
    });
    this.tasks = new TaskRegistry(random, now);
  }

  /** The guests whose config lives on `node`. */
  guestsOn(node: string): SimGuest[] {
    return [...this.guests.values()].filter((g) => g.node === node);
  }

  sortedGuests(): SimGuest[] {
    return [...this.guests.values()].sort((a, b) => a.vmid - b.vmid);
  }

  /** Moves a guest to another node of this cluster at once, as a finished `qm migrate` leaves it:
   * its config lives on `node` from now on (requests naming the old node get "does not exist"),
   * and its open consoles end with the source QEMU process. */
  migrateGuest(vmid: number, node: string): void {
    const guest = this.guests.get(vmid);
    if (!guest) throw new Error(`no guest ${vmid} in this cluster`);
    if (!this.nodes.has(node)) throw new Error(`no node '${node}' in this cluster`);
    if (guest.node === node) return;
    guest.node = node;
    guest.endConsoles();
  }

  /** The volumes of a storage on a node and its usage. */
  storageState(
    node: NodeState,
    def: StorageDef,
    now: number,
  ): { volumes: VolumeEntry[]; usage: { total: number; used: number; avail: number } } {
    const guests = this.guestsOn(node.name);
    const volumes = storageVolumes(def, node.backups, guests);
    return { volumes, usage: storageUsage(def, node, nodeFigures(node, guests, now).disk, volumes) };
  }

  /** Bytes used on a node's root file system, where `local` keeps its files. */
  rootfsUsed(node: NodeState, now: number): number {
    const local = findStorage('local');
    return local
      ? this.storageState(node, local, now).usage.used
      : nodeFigures(node, this.guestsOn(node.name), now).disk;
  }

  /** Drops vnc tickets that can no longer be valid. */
  pruneVncTickets(): void {
    const cutoff = this.now() - this.timing.vncTicketValidityMs;
    for (const [ticket, record] of this.vncTickets) if (record.issuedAt < cutoff) this.vncTickets.delete(ticket);
  }

  /** A timer that close() cancels. */
  later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  close(): void {
    this.tasks.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const node of this.nodes.values()) {
      for (const listener of [...node.consoles.values()]) listener.close('shutdown');
    }
  }
}
