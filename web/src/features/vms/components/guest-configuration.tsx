// A guest's configuration summary: type, node, sizes, agent, HA, pool, lock, tags. Every value
// came from Proxmox and is rendered as text.
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { Badge } from '@/components/ui/badge';
import { Detail } from '@/components/ui/detail';
import { formatBytes, formatRelative } from '@/lib/format';
import { vm } from '../messages';
import type { Guest, GuestDetail } from '../types';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Detail label={label} className="break-all">
      {children}
    </Detail>
  );
}

export function GuestConfiguration({ guest, detail }: { guest: Guest; detail: GuestDetail | undefined }) {
  const t = useIntl().formatMessage;
  return (
    <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
      <Row label={t(vm.type)}>{t(guest.type === 'qemu' ? vm.qemuType : vm.lxcType)}</Row>
      <Row label={t(vm.node)}>{guest.node}</Row>
      {detail?.qmpstatus ? <Row label={t(vm.qemuState)}>{detail.qmpstatus}</Row> : null}
      <Row label={t(vm.vcpus)}>{detail?.cpus ?? guest.maxcpu ?? '–'}</Row>
      <Row label={t(vm.memory)}>{formatBytes(guest.maxmem)}</Row>
      <Row label={t(vm.bootDisk)}>{formatBytes(guest.maxdisk)}</Row>
      {detail ? <Row label={t(vm.agent)}>{t(detail.agent ? vm.agentOn : vm.agentOff)}</Row> : null}
      {detail?.ha.managed ? <Row label={t(vm.ha)}>{detail.ha.state ?? t(vm.haManaged)}</Row> : null}
      {guest.pool ? <Row label={t(vm.pool)}>{guest.pool}</Row> : null}
      {guest.lock ? <Row label={t(vm.lock)}>{guest.lock}</Row> : null}
      {detail?.pid ? <Row label={t(vm.pid)}>{detail.pid}</Row> : null}
      <Row label={t(vm.tags)}>
        <span className="flex flex-wrap gap-1">
          {guest.tags.length
            ? guest.tags.map((tag) => (
                <Badge key={tag} variant="secondary">
                  {tag}
                </Badge>
              ))
            : '–'}
        </span>
      </Row>
      {guest.template ? <Row label={t(vm.templateLabel)}>{t(vm.yes)}</Row> : null}
      {detail ? <Row label={t(vm.fetched)}>{formatRelative(detail.fetchedAt)}</Row> : null}
    </dl>
  );
}
