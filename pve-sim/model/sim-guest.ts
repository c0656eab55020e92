// One simulated guest (QEMU VM or LXC container): the state the API reports and the power
// actions change, its configuration and snapshots, plus the recorders that tests read ("did
// Ctrl+Alt+Del arrive?", "what was typed in the terminal?").
import { RfbRecorder } from '../rfb/index';
import type { GuestSpec } from '../scenario/scenario.schema';
import { TermRecorder } from '../term/term-recorder';
import { type GuestSettings, type Hardware, initialHardware } from './guest-config';
import { hashSeed } from './random';

export type GuestType = 'qemu' | 'lxc';

export interface HaState {
  managed: boolean;
  /** The requested state, as `ha-manager` shows it. */
  state: 'started' | 'stopped';
}

/** A snapshot in the config's `[name]` section (pve-guest-common's AbstractConfig). */
export interface SimSnapshot {
  name: string;
  description: string | undefined;
  /** Unix seconds. */
  snaptime: number;
  parent: string | undefined;
  /** The RAM state volume (QEMU, taken while running with `vmstate`), e.g.
   * `local-lvm:vm-100-state-before-upgrade`. */
  vmstate: string | undefined;
  /** 'prepare' while it is being taken, 'delete' while it is being removed. */
  snapstate: 'prepare' | 'delete' | undefined;
  /** The configuration it preserves. */
  settings: GuestSettings;
}

export class SimGuest {
  readonly vmid: number;
  readonly type: GuestType;
  node: string;
  name: string | undefined;
  status: 'running' | 'stopped';
  /** QEMU paused (or a frozen container): status stays `running`, qmpstatus says `paused`. */
  paused: boolean;
  template: boolean;
  tags: string[];
  pool: string | undefined;
  ha: HaState;
  lock: string | undefined;
  cpus: number;
  maxmem: number;
  maxdisk: number;
  description: string | undefined;
  /** Logged first by every task on this guest (hook script output). */
  taskLog: string[];
  /** When set, every power-action task on this guest fails with this message. */
  taskError: string | undefined;
  agent: boolean;
  /** Whether the guest agent answers (when configured and the VM runs). */
  agentRunning: boolean;
  /** The other config entries: disks, network cards, boot order, OS type, serial ports, … */
  hardware: Hardware;
  /** Snapshots by name, in creation order. */
  readonly snapshots = new Map<string, SimSnapshot>();
  /** The snapshot the current state descends from (config `parent`). */
  parent: string | undefined;
  bridge: GuestSpec['bridge'];
  /** When the guest last started (ms), for uptime and the I/O counters. */
  startedAt: number | null;
  /** Recent running/stopped transitions, so RRD history shows when the guest was off. */
  readonly history: { at: number; running: boolean }[] = [];
  readonly seed: number;
  readonly recorder: RfbRecorder;
  /** What arrived through termproxy (container console or serial terminal). */
  readonly terminal: TermRecorder;
  /** Console sessions served by this guest's VNC server right now. They end when that server
   * goes away with the QEMU process (stop, shutdown, hibernation, migration to another node). */
  readonly consoleSessions = new Set<{ close(): void }>();

  constructor(spec: GuestSpec, now: number) {
    this.vmid = spec.vmid;
    this.type = spec.type;
    this.node = spec.node;
    this.name = spec.name;
    this.status = spec.status === 'stopped' ? 'stopped' : 'running';
    this.paused = spec.status === 'paused';
    this.template = spec.template;
    this.tags = [...spec.tags];
    this.pool = spec.pool;
    this.ha = { managed: spec.ha, state: spec.status === 'stopped' ? 'stopped' : 'started' };
    this.lock = spec.lock;
    this.cpus = spec.cpus;
    this.maxmem = spec.memory;
    this.maxdisk = spec.disk;
    this.description = spec.description;
    this.taskLog = [...spec.taskLog];
    this.taskError = spec.taskError;
    this.agent = spec.agent;
    this.agentRunning = spec.agentRunning;
    this.bridge = spec.bridge;
    this.seed = hashSeed(`${spec.type}/${spec.vmid}/${spec.name ?? ''}`);
    this.hardware = initialHardware(spec, this.seed);
    // Running guests have been up for a while (a few hours, varying per guest).
    this.startedAt = this.status === 'running' ? now - (3600 + (this.seed % 86400)) * 1000 : null;
    this.history.push({ at: now - 400 * 86400 * 1000, running: this.status === 'running' });
    this.recorder = new RfbRecorder();
    this.terminal = new TermRecorder();
    this.seedSnapshots(spec, now);
  }

  private seedSnapshots(spec: GuestSpec, now: number): void {
    let previous: string | undefined;
    spec.snapshots.forEach((snap, i) => {
      const ageHours = snap.ageHours ?? (spec.snapshots.length - i) * 24;
      const parent = snap.parent === null ? undefined : (snap.parent ?? previous);
      this.snapshots.set(snap.name, {
        name: snap.name,
        description: snap.description,
        snaptime: Math.floor(now / 1000 - ageHours * 3600),
        parent,
        vmstate: snap.vmstate ? this.stateVolume(snap.name) : undefined,
        snapstate: undefined,
        settings: this.settings(),
      });
      previous = snap.name;
    });
    this.parent = spec.currentSnapshot ?? previous;
  }

  /** __snapshot_save_vmstate's volume: `vm-<vmid>-state-<name>` on the storage of the first disk. */
  stateVolume(snapname: string): string {
    return `local-lvm:vm-${this.vmid}-state-${snapname}`;
  }

  /** A copy of what a snapshot keeps. */
  settings(): GuestSettings {
    return {
      name: this.name,
      cpus: this.cpus,
      maxmem: this.maxmem,
      maxdisk: this.maxdisk,
      tags: [...this.tags],
      agent: this.agent,
      hardware: { ...this.hardware },
    };
  }

  /** A rollback: the snapshot's configuration becomes the current one. */
  applySettings(settings: GuestSettings): void {
    this.name = settings.name;
    this.cpus = settings.cpus;
    this.maxmem = settings.maxmem;
    this.maxdisk = settings.maxdisk;
    this.tags = [...settings.tags];
    this.agent = settings.agent;
    this.hardware = { ...settings.hardware };
  }

  /** The serial ports of the config (`serial0`…`serial3`) and what they are attached to. */
  serialPort(iface: string): string | undefined {
    const value = this.hardware[iface];
    return value === undefined ? undefined : String(value);
  }

  get running(): boolean {
    return this.status === 'running';
  }

  /** `qmpstatus` of status/current and the `status` of /cluster/resources for QEMU. */
  get qmpstatus(): 'running' | 'paused' | 'stopped' {
    if (!this.running) return 'stopped';
    return this.paused ? 'paused' : 'running';
  }

  get label(): string {
    return this.type === 'qemu' ? 'VM' : 'CT';
  }

  setRunning(running: boolean, now: number): void {
    this.paused = false;
    if (running === this.running) return;
    this.status = running ? 'running' : 'stopped';
    this.startedAt = running ? now : null;
    this.history.push({ at: now, running });
    if (this.history.length > 50) this.history.shift();
    if (!running) this.endConsoles();
  }

  /** The VNC server is gone: every open console of this guest ends, as QEMU's do. */
  endConsoles(): void {
    for (const session of [...this.consoleSessions]) session.close();
  }

  /** Reboot/reset: still running, but uptime and counters start over. */
  restart(now: number): void {
    this.paused = false;
    this.startedAt = now;
  }

  wasRunningAt(time: number): boolean {
    let running = this.history[0]?.running ?? false;
    for (const change of this.history) {
      if (change.at > time) break;
      running = change.running;
    }
    return running;
  }
}
