// A guest's CPU, memory and disk use as meters (the guest page and the guest cards).
import { Meter } from '@/components/ui/misc';
import { formatBytes, ratio } from '@/lib/format';
import type { Guest } from '../types';

/** "12% of 4", the CPU use against the guest's vCPUs; `unit` names them where space allows. */
export function cpuDetail(g: Guest, unit = ''): string {
  return g.cpu == null ? '–' : `${(g.cpu * 100).toFixed(0)}% of ${g.maxcpu ?? '?'}${unit}`;
}

export function GuestMeters({ guest: g, cpuUnit }: { guest: Guest; cpuUnit?: string }) {
  return (
    <>
      <Meter label="CPU" value={g.cpu ?? null} detail={cpuDetail(g, cpuUnit)} />
      <Meter
        label="Memory"
        value={ratio(g.mem, g.maxmem)}
        detail={`${formatBytes(g.mem)} / ${formatBytes(g.maxmem)}`}
      />
      <Meter
        label="Disk"
        value={ratio(g.disk, g.maxdisk)}
        detail={`${formatBytes(g.disk)} / ${formatBytes(g.maxdisk)}`}
      />
    </>
  );
}
