// The storages of a node and what is on them: a default installation's `local` (a directory on
// the root file system: backups, ISO images, container templates) and `local-lvm` (an LVM thin
// pool: the guests' disks). Backup archives are the simulator's own state (seeded by the scenario,
// added by vzdump); the rest is derived from the guests whose configuration lives on the node.
import type { BackupSpec } from '../scenario/scenario.schema';
import { configVolumes } from './guest-config';
import type { GuestType, SimGuest } from './sim-guest';

export interface StorageDef {
  storage: string;
  type: string;
  /** Content types, as in storage.cfg. */
  content: readonly string[];
  shared: boolean;
  /** The remaining storage.cfg keys /storage lists. */
  extra: Readonly<Record<string, string>>;
}

export const STORAGES: readonly StorageDef[] = [
  {
    storage: 'local',
    type: 'dir',
    content: ['backup', 'iso', 'vztmpl'],
    shared: false,
    extra: { path: '/var/lib/vz' },
  },
  {
    storage: 'local-lvm',
    type: 'lvmthin',
    content: ['images', 'rootdir'],
    shared: false,
    extra: { thinpool: 'data', vgname: 'pve' },
  },
];

export function findStorage(id: string): StorageDef | undefined {
  return STORAGES.find((s) => s.storage === id);
}

/** content_hash_to_string: the content types, sorted, comma-separated. */
export function contentString(def: StorageDef): string {
  return [...def.content].sort().join(',');
}

/** A backup archive in a storage's `dump` directory. */
export interface BackupVolume {
  storage: string;
  /** e.g. vzdump-qemu-100-2026_12_01-10_00_00.vma.zst */
  filename: string;
  vmid: number;
  subtype: GuestType;
  /** The part after the base name, e.g. `vma.zst`, as list_volumes reports it. */
  format: string;
  size: number;
  /** Unix seconds, from the time in the file name. */
  ctime: number;
  /** The first line of the `.notes` file beside the archive. */
  notes: string | undefined;
  protected: boolean;
}

export type Compression = '0' | '1' | 'lzo' | 'gzip' | 'zstd';

/** PVE::VZDump::compressor_info's file extensions. */
const COMPRESS_EXT: Record<Compression, string> = { '0': '', '1': '.lzo', lzo: '.lzo', gzip: '.gz', zstd: '.zst' };

/** vzdump's archive format: `.vma` for VMs, `.tar` for containers, plus the compressor's extension
 * (none without `compress`: an uncompressed `.vma`). */
export function backupFormat(type: GuestType, compress: Compression): string {
  return `${type === 'qemu' ? 'vma' : 'tar'}${COMPRESS_EXT[compress]}`;
}

/** strftime("-%Y_%m_%d-%H_%M_%S"), in the node's time zone (UTC here). */
export function backupTimestamp(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}-${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}`;
}

/** What an archive of the guest would weigh: vzdump writes only the blocks in use, so a few percent
 * of the disk's size, compressed to less (varying per guest). Small enough that a default node's
 * root file system holds two backups of every guest with room to spare. */
export function backupSize(guest: SimGuest, compress: Compression): number {
  const ratio = compress === '0' ? 0.03 : 0.005 + (guest.seed % 97) / 10_000;
  return Math.floor(guest.maxdisk * ratio);
}

export function newBackup(
  guest: SimGuest,
  opts: { storage: string; ctime: number; compress: Compression; notes?: string; protected?: boolean; size?: number },
): BackupVolume {
  const format = backupFormat(guest.type, opts.compress);
  return {
    storage: opts.storage,
    filename: `vzdump-${guest.type}-${guest.vmid}-${backupTimestamp(opts.ctime)}.${format}`,
    vmid: guest.vmid,
    subtype: guest.type,
    format,
    size: opts.size ?? backupSize(guest, opts.compress),
    ctime: opts.ctime,
    notes: opts.notes,
    protected: opts.protected ?? false,
  };
}

export function seededBackup(guest: SimGuest, spec: BackupSpec, now: number): BackupVolume {
  return newBackup(guest, {
    storage: spec.storage,
    ctime: Math.floor(now / 1000 - spec.ageHours * 3600),
    compress: spec.compress,
    notes: spec.notes,
    protected: spec.protected,
    size: spec.size,
  });
}

export function backupVolid(backup: BackupVolume): string {
  return `${backup.storage}:backup/${backup.filename}`;
}

/** One volume as list_volumes reports it. */
export interface VolumeEntry {
  volid: string;
  content: string;
  format: string;
  size: number;
  vmid?: number;
  ctime?: number;
  subtype?: string;
  notes?: string;
  protected?: number;
  used?: number;
}

/** The ISO image and container template every simulated `local` holds. */
const STATIC_FILES: readonly VolumeEntry[] = [
  { volid: 'local:iso/debian-13.1.0-amd64-netinst.iso', content: 'iso', format: 'iso', size: 790_626_304 },
  {
    volid: 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst',
    content: 'vztmpl',
    format: 'tzst',
    size: 129_935_612,
  },
];

const GiB = 1024 ** 3;

/** The disks of the guests living on this node, on the thin pool: allocated size and how much of
 * it is written (thin provisioning), plus RAM state volumes of snapshots. */
function thinVolumes(guests: readonly SimGuest[], storage: string): VolumeEntry[] {
  const out: VolumeEntry[] = [];
  for (const guest of guests) {
    const content = guest.type === 'qemu' ? 'images' : 'rootdir';
    for (const vol of configVolumes(guest.hardware)) {
      if (!vol.volid.startsWith(`${storage}:`)) continue;
      const size = Math.round(vol.sizeGiB * GiB);
      const used = Math.floor(size * (0.1 + (guest.seed % 41) / 200));
      out.push({ volid: vol.volid, content, format: 'raw', size, used, vmid: guest.vmid });
    }
    for (const snap of guest.snapshots.values()) {
      if (!snap.vmstate?.startsWith(`${storage}:`)) continue;
      // __snapshot_save_vmstate reserves twice the memory plus 500 MiB.
      const size = guest.maxmem * 2 + 500 * 1024 ** 2;
      out.push({ volid: snap.vmstate, content: 'images', format: 'raw', size, used: size, vmid: guest.vmid });
    }
  }
  return out;
}

/** Every volume of a storage on a node, sorted by volid as PVE::Storage::volume_list does. */
export function storageVolumes(
  def: StorageDef,
  backups: readonly BackupVolume[],
  guests: readonly SimGuest[],
): VolumeEntry[] {
  const out: VolumeEntry[] = [];
  if (def.type === 'dir') {
    out.push(...STATIC_FILES.filter((f) => f.volid.startsWith(`${def.storage}:`)));
    for (const b of backups) {
      if (b.storage !== def.storage) continue;
      const entry: VolumeEntry = {
        volid: backupVolid(b),
        content: 'backup',
        format: b.format,
        size: b.size,
        ctime: b.ctime,
        subtype: b.subtype,
        vmid: b.vmid,
      };
      if (b.notes !== undefined) entry.notes = b.notes.split('\n')[0] ?? '';
      if (b.protected) entry.protected = 1;
      out.push(entry);
    }
  } else {
    out.push(...thinVolumes(guests, def.storage));
  }
  return out.sort((a, b) => a.volid.toLowerCase().localeCompare(b.volid.toLowerCase()));
}

/** total/used/avail of a storage on a node. `local` is a directory on the root file system, so
 * its usage is the root file system's: the system's own share plus the archives and files in it. */
export function storageUsage(
  def: StorageDef,
  node: { disk: number },
  systemUsed: number,
  volumes: readonly VolumeEntry[],
): { total: number; used: number; avail: number } {
  if (def.type === 'dir') {
    const files = volumes.reduce((sum, v) => sum + v.size, 0);
    const used = Math.min(node.disk, systemUsed + files);
    return { total: node.disk, used, avail: node.disk - used };
  }
  // A thin pool is sized for its guests (overcommitted by a quarter), at least four root disks.
  const allocated = volumes.reduce((sum, v) => sum + v.size, 0);
  const total = Math.max(node.disk * 4, Math.ceil((allocated * 0.75) / (100 * GiB)) * 100 * GiB);
  const used = Math.min(
    total,
    volumes.reduce((sum, v) => sum + (v.used ?? v.size), 0),
  );
  return { total, used, avail: total - used };
}
