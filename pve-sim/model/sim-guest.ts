// One simulated guest (QEMU VM or LXC container): the state the API reports and the power
// actions change, plus the RFB recorder that tests read ("did Ctrl+Alt+Del arrive?").
import { RfbRecorder } from '../rfb/index';
import type { GuestSpec } from '../scenario/scenario.schema';
import { hashSeed } from './random';

export type GuestType = 'qemu' | 'lxc';

export interface HaState {
  managed: boolean;
  /** The requested state, as `ha-manager` shows it. */
  state: 'started' | 'stopped';
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
  bridge: GuestSpec['bridge'];
  /** When the guest last started (ms), for uptime and the I/O counters. */
  startedAt: number | null;
  /** Recent running/stopped transitions, so RRD history shows when the guest was off. */
  readonly history: { at: number; running: boolean }[] = [];
  readonly seed: number;
  readonly recorder: RfbRecorder;
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
    this.bridge = spec.bridge;
    this.seed = hashSeed(`${spec.type}/${spec.vmid}/${spec.name ?? ''}`);
    // Running guests have been up for a while (a few hours, varying per guest).
    this.startedAt = this.status === 'running' ? now - (3600 + (this.seed % 86400)) * 1000 : null;
    this.history.push({ at: now - 400 * 86400 * 1000, running: this.status === 'running' });
    this.recorder = new RfbRecorder();
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
