// Deterministic, plausibly moving figures for guests and nodes: CPU and memory that drift
// smoothly, I/O counters that only grow while a guest runs, and RRD series built from the same
// curves so that history and current values agree. A function of (seed, time), so no timers.
import type { SimGuest } from './sim-guest';

const TAU = Math.PI * 2;

/** A smooth value in [0, 1] that wanders over minutes and hours. */
function wave(seed: number, t: number): number {
  const p1 = (seed % 997) / 997;
  const p2 = (seed % 991) / 991;
  const p3 = (seed % 983) / 983;
  const v =
    0.5 +
    0.22 * Math.sin(TAU * (t / 900 + p1)) +
    0.15 * Math.sin(TAU * (t / 5400 + p2)) +
    0.08 * Math.sin(TAU * (t / 67 + p3)) +
    0.05 * Math.sin(TAU * (t / 86400 + p1 + p2));
  return Math.min(1, Math.max(0, v));
}

/** A per-second rate in bytes derived from the seed: 10 KiB/s … 2 MiB/s. */
function baseRate(seed: number, salt: number): number {
  return 10_240 + (((seed >>> salt) & 0xffff) / 0xffff) * 2 * 1024 * 1024;
}

/** A counter that grows at about `rate` per second with some wobble, never decreasing. */
function counter(rate: number, seconds: number, period: number): number {
  return Math.floor(rate * seconds + 0.5 * rate * (period / TAU) * (1 - Math.cos((TAU * seconds) / period)));
}

export interface GuestFigures {
  cpu: number;
  mem: number;
  disk: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
  uptime: number;
}

export function guestFigures(guest: SimGuest, now: number): GuestFigures {
  const t = now / 1000;
  const uptime = guest.startedAt === null ? 0 : Math.max(0, Math.floor((now - guest.startedAt) / 1000));
  if (!guest.running) {
    return { cpu: 0, mem: 0, disk: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0, uptime: 0 };
  }
  const seed = guest.seed;
  const cpu = guest.paused ? 0 : 0.02 + 0.6 * wave(seed, t) ** 2;
  const mem = Math.floor(guest.maxmem * (0.25 + 0.5 * wave(seed ^ 0x5a5a, t / 6)));
  // QEMU cannot see inside its disks: Proxmox reports 0 there; containers report their rootfs.
  const disk = guest.type === 'lxc' ? Math.floor(guest.maxdisk * (0.2 + 0.3 * wave(seed ^ 0x3c3c, t / 600))) : 0;
  return {
    cpu: Math.round(cpu * 1e4) / 1e4,
    mem,
    disk,
    netin: counter(baseRate(seed, 0), uptime, 600),
    netout: counter(baseRate(seed, 8) / 3, uptime, 900),
    diskread: counter(baseRate(seed, 16), uptime, 1200),
    diskwrite: counter(baseRate(seed, 4) / 2, uptime, 700),
    uptime,
  };
}

export const RRD_TIMEFRAMES = { hour: 60, day: 1800, week: 10800, month: 43200, year: 604800 } as const;
export type RrdTimeframe = keyof typeof RRD_TIMEFRAMES;

/** 70 points per timeframe, at the resolutions of Proxmox's RRAs. Rates are per second. */
export function guestRrd(
  guest: SimGuest,
  timeframe: RrdTimeframe,
  cf: 'AVERAGE' | 'MAX',
  now: number,
): Record<string, number>[] {
  const step = RRD_TIMEFRAMES[timeframe];
  const last = Math.floor(now / 1000 / step) * step;
  const peak = cf === 'MAX' ? 1.35 : 1;
  const points: Record<string, number>[] = [];
  for (let i = 69; i >= 0; i--) {
    const time = last - i * step;
    const base = { time, maxcpu: guest.cpus, maxmem: guest.maxmem, maxdisk: guest.maxdisk };
    if (!guest.wasRunningAt(time * 1000)) {
      points.push({ ...base, cpu: 0, mem: 0, disk: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0 });
      continue;
    }
    const seed = guest.seed;
    const w = wave(seed, time);
    points.push({
      ...base,
      cpu: Math.min(1, (0.02 + 0.6 * w ** 2) * peak),
      mem: Math.min(guest.maxmem, Math.floor(guest.maxmem * (0.25 + 0.5 * wave(seed ^ 0x5a5a, time / 6)) * peak)),
      disk: guest.type === 'lxc' ? Math.floor(guest.maxdisk * (0.2 + 0.3 * wave(seed ^ 0x3c3c, time / 600))) : 0,
      netin: baseRate(seed, 0) * (0.5 + w) * peak,
      netout: (baseRate(seed, 8) / 3) * (0.5 + wave(seed ^ 0x11, time)) * peak,
      diskread: baseRate(seed, 16) * (0.3 + wave(seed ^ 0x22, time)) * peak,
      diskwrite: (baseRate(seed, 4) / 2) * (0.3 + wave(seed ^ 0x33, time)) * peak,
    });
  }
  return points;
}

export interface NodeFigures {
  cpu: number;
  mem: number;
  disk: number;
  uptime: number;
  loadavg: [string, string, string];
}

export function nodeFigures(
  node: { cpus: number; memory: number; disk: number; bootTime: number; seed: number },
  guests: readonly SimGuest[],
  now: number,
): NodeFigures {
  let busy = 0;
  let mem = 2 * 1024 ** 3;
  for (const guest of guests) {
    const figures = guestFigures(guest, now);
    busy += figures.cpu * guest.cpus;
    mem += figures.mem;
  }
  const cpu = Math.min(1, 0.01 + busy / node.cpus);
  const load = busy + 0.05;
  return {
    cpu: Math.round(cpu * 1e4) / 1e4,
    mem: Math.min(node.memory, mem),
    disk: Math.floor(node.disk * (0.15 + 0.1 * wave(node.seed, now / 1000 / 3600))),
    uptime: Math.floor((now - node.bootTime) / 1000),
    loadavg: [load.toFixed(2), (load * 0.9).toFixed(2), (load * 0.8).toFixed(2)],
  };
}
