// A guest's configuration summary: type, node, sizes, agent, HA, pool, lock, tags. Every value
// came from Proxmox and is rendered as text.
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Detail } from '@/components/ui/detail';
import { formatBytes, formatRelative } from '@/lib/format';
import type { Guest, GuestDetail } from '../types';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Detail label={label} className="break-all">
      {children}
    </Detail>
  );
}

export function GuestConfiguration({ guest, detail }: { guest: Guest; detail: GuestDetail | undefined }) {
  return (
    <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
      <Row label="Type">{guest.type === 'qemu' ? 'QEMU/KVM virtual machine' : 'LXC container'}</Row>
      <Row label="Node">{guest.node}</Row>
      {detail?.qmpstatus ? <Row label="QEMU state">{detail.qmpstatus}</Row> : null}
      <Row label="vCPUs">{detail?.cpus ?? guest.maxcpu ?? '–'}</Row>
      <Row label="Memory">{formatBytes(guest.maxmem)}</Row>
      <Row label="Boot disk">{formatBytes(guest.maxdisk)}</Row>
      {detail ? <Row label="Guest agent">{detail.agent ? 'enabled' : 'off'}</Row> : null}
      {detail?.ha.managed ? <Row label="High availability">{detail.ha.state ?? 'managed'}</Row> : null}
      {guest.pool ? <Row label="Pool">{guest.pool}</Row> : null}
      {guest.lock ? <Row label="Lock">{guest.lock}</Row> : null}
      {detail?.pid ? <Row label="PID">{detail.pid}</Row> : null}
      <Row label="Tags">
        <span className="flex flex-wrap gap-1">
          {guest.tags.length
            ? guest.tags.map((t) => (
                <Badge key={t} variant="secondary">
                  {t}
                </Badge>
              ))
            : '–'}
        </span>
      </Row>
      {guest.template ? <Row label="Template">yes</Row> : null}
      {detail ? <Row label="Fetched">{formatRelative(detail.fetchedAt)}</Row> : null}
    </dl>
  );
}
