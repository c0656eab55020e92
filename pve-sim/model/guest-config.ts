// A guest's configuration file as the config API shows it: the entries a guest page reads (disks,
// network cards, boot order, OS type, serial ports, agent, tags, notes) generated once per guest
// from its seed, plus what a scenario adds or overrides. Snapshots keep a copy of the settings and
// a rollback restores them (pve-guest-common's __snapshot_copy_config / __snapshot_apply_config).
import { createHash } from 'node:crypto';
import type { GuestSpec } from '../scenario/scenario.schema';

/** Config entries other than the ones SimGuest keeps as fields (name, cores, memory, tags, …). */
export type Hardware = Record<string, string | number>;

/** What a snapshot keeps and a rollback restores: everything but the notes (`description`), the
 * lock and the snapshot bookkeeping (AbstractConfig::__snapshot_copy_config skips those). */
export interface GuestSettings {
  name: string | undefined;
  cpus: number;
  maxmem: number;
  maxdisk: number;
  tags: string[];
  agent: boolean;
  hardware: Hardware;
}

const GiB = 1024 ** 3;

export function hexByte(n: number): string {
  return (n & 0xff).toString(16).toUpperCase().padStart(2, '0');
}

/** A stable MAC in Proxmox's own OUI (BC:24:11), one per network card. */
export function macAddress(seed: number, index: number): string {
  const s = (seed + index * 0x9e3779b1) >>> 0;
  return `BC:24:11:${hexByte(s)}:${hexByte(s >>> 8)}:${hexByte(s >>> 16)}`;
}

function uuid(seed: number, salt: number): string {
  const hex = createHash('sha256').update(`${seed}:${salt}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The config entries of a new guest: a QEMU VM gets a SCSI system disk, a CD-ROM, one or two
 * network cards and sometimes a data disk (varying with the seed, so lists differ between
 * guests); a container gets its rootfs, eth0 and sometimes a mount point. `spec.config` adds or
 * replaces entries (for example `serial0: socket`, `ostype: win11`). */
export function initialHardware(spec: GuestSpec, seed: number): Hardware {
  const size = Math.max(1, Math.round(spec.disk / GiB));
  const hw: Hardware = {};
  if (spec.type === 'qemu') {
    Object.assign(hw, {
      sockets: 1,
      cpu: 'x86-64-v2-AES',
      ostype: 'l26',
      scsihw: 'virtio-scsi-single',
      scsi0: `local-lvm:vm-${spec.vmid}-disk-0,iothread=1,size=${size}G`,
      ide2: seed & 4 ? 'none,media=cdrom' : 'local:iso/debian-13.1.0-amd64-netinst.iso,media=cdrom,size=754M',
      net0: `virtio=${macAddress(seed, 0)},bridge=vmbr0,firewall=1`,
      boot: 'order=scsi0;ide2;net0',
      numa: 0,
      vmgenid: uuid(seed, 1),
      smbios1: `uuid=${uuid(seed, 2)}`,
      meta: 'creation-qemu=10.1.2,ctime=1760000000',
    });
    if (seed & 1) {
      hw.scsi1 = `local-lvm:vm-${spec.vmid}-disk-1,iothread=1,size=${Math.max(1, Math.round(size / 2))}G`;
    }
    if (seed & 2) hw.net1 = `virtio=${macAddress(seed, 1)},bridge=vmbr1,tag=20`;
  } else {
    Object.assign(hw, {
      swap: 512,
      ostype: 'debian',
      arch: 'amd64',
      rootfs: `local-lvm:vm-${spec.vmid}-disk-0,size=${size}G`,
      net0: `name=eth0,bridge=vmbr0,firewall=1,hwaddr=${macAddress(seed, 0)},ip=dhcp,type=veth`,
      unprivileged: 1,
      features: 'nesting=1',
    });
    if (seed & 1) hw.mp0 = `local-lvm:vm-${spec.vmid}-disk-1,mp=/srv/data,backup=1,size=${Math.max(1, size)}G`;
  }
  return { ...hw, ...spec.config };
}

/** The disks of a configuration, as vzdump and the storage list see them: key, volume ID and
 * size in GiB. CD-ROMs and passed-through devices are not volumes. */
export function configVolumes(hardware: Hardware): { key: string; volid: string; sizeGiB: number }[] {
  const out: { key: string; volid: string; sizeGiB: number }[] = [];
  for (const [key, value] of Object.entries(hardware)) {
    if (!/^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$|^rootfs$|^mp\d+$/.test(key)) continue;
    const text = String(value);
    if (/media=cdrom/.test(text)) continue;
    const volid = text.split(',')[0] ?? '';
    if (!/^[a-z][a-z0-9\-_.]*:/i.test(volid)) continue;
    const size = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])?/.exec(text);
    const factor = { K: 1 / 1024 ** 2, M: 1 / 1024, G: 1, T: 1024 }[size?.[2] ?? 'G'] ?? 1;
    out.push({ key, volid, sizeGiB: Number(size?.[1] ?? 0) * factor });
  }
  return out;
}

/** The `snapshots` section of a config never shows in the answers; a digest that changes with
 * every write does (the SHA-1 of the file on a real server). */
export function configDigest(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('hex');
}
