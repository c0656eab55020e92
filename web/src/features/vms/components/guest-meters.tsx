// A guest's CPU, memory and disk use as meters (the guest page and the guest cards).
import { type IntlShape, useIntl } from 'react-intl';
import { Meter } from '@/components/ui/misc';
import { formatBytes, ratio } from '@/lib/format';
import { cpuOf, cpuOfVcpus, vm } from '../messages';
import type { Guest } from '../types';

/** "12% of 4", the CPU use against the guest's vCPUs; `vcpus` names them where space allows. */
export function cpuDetail(g: Guest, t: IntlShape['formatMessage'], vcpus = false): string {
  if (g.cpu == null) return '–';
  return t(vcpus ? cpuOfVcpus : cpuOf, { percent: (g.cpu * 100).toFixed(0), cpus: String(g.maxcpu ?? '?') });
}

export function GuestMeters({ guest: g, vcpus }: { guest: Guest; vcpus?: boolean }) {
  const t = useIntl().formatMessage;
  return (
    <>
      <Meter label={t(vm.cpu)} value={g.cpu ?? null} detail={cpuDetail(g, t, vcpus)} />
      <Meter
        label={t(vm.memory)}
        value={ratio(g.mem, g.maxmem)}
        detail={`${formatBytes(g.mem)} / ${formatBytes(g.maxmem)}`}
      />
      <Meter
        label={t(vm.disk)}
        value={ratio(g.disk, g.maxdisk)}
        detail={`${formatBytes(g.disk)} / ${formatBytes(g.maxdisk)}`}
      />
    </>
  );
}
