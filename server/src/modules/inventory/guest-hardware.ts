// A guest's configuration as the guest page shows it: NICs, disks, boot order, OS type and notes,
// parsed from Proxmox's `…/config` (property strings such as `virtio=AA:…,bridge=vmbr0,tag=20`).
// Pure; anything unexpected is left out rather than guessed.
import type { GuestHardware, GuestInterfaces } from '@common/schemas/vms';
import { flag, num, text } from './guest-normalize';

const DISK_KEY = /^(?:scsi|virtio|sata|ide|efidisk|tpmstate|unused)\d+$|^rootfs$|^mp\d+$/;
const NIC_KEY = /^net\d+$/;
const QEMU_NIC_MODELS = new Set(['virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3', 'ne2k_pci', 'pcnet', 'i82551']);

/** `a=1,b=2,first` → {a: '1', b: '2'} and the bare first value (a volume, a NIC model=MAC). */
export function propertyString(value: string): { first: string | null; props: Map<string, string> } {
  const props = new Map<string, string>();
  let first: string | null = null;
  value.split(',').forEach((part, i) => {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (i === 0) first = part;
      return;
    }
    props.set(part.slice(0, eq), part.slice(eq + 1));
  });
  return { first, props };
}

const byIndex = (a: string, b: string) => {
  const [, pa = '', na = '0'] = /^(\D+)(\d*)$/.exec(a) ?? [];
  const [, pb = '', nb = '0'] = /^(\D+)(\d*)$/.exec(b) ?? [];
  return pa.localeCompare(pb) || Number(na) - Number(nb);
};

export function parseHardware(type: 'qemu' | 'lxc', config: Record<string, unknown>): GuestHardware {
  const keys = Object.keys(config).sort(byIndex);
  const nics: GuestHardware['nics'] = [];
  const disks: GuestHardware['disks'] = [];
  for (const key of keys) {
    const raw = config[key];
    if (typeof raw !== 'string' || raw.length > 2000) continue;
    if (NIC_KEY.test(key)) {
      const { props } = propertyString(raw);
      let model: string | null = null;
      let mac: string | null = text(props.get('hwaddr'), 32);
      if (type === 'qemu') {
        model = [...props.keys()].find((k) => QEMU_NIC_MODELS.has(k)) ?? null;
        if (model) mac = text(props.get(model), 32);
        if (props.has('macaddr')) mac = text(props.get('macaddr'), 32);
      } else {
        model = text(props.get('type'), 16);
      }
      const tag = props.get('tag');
      nics.push({
        id: key,
        model,
        mac,
        bridge: text(props.get('bridge'), 64),
        vlan: tag && /^\d{1,4}$/.test(tag) ? Number(tag) : null,
        firewall: props.get('firewall') === '1',
        name: text(props.get('name'), 32),
        ip: text(props.get('ip'), 64),
      });
    } else if (DISK_KEY.test(key)) {
      const { first, props } = propertyString(raw);
      const volume = first ?? props.get('file') ?? props.get('volume') ?? '';
      if (!volume) continue;
      const colon = volume.indexOf(':');
      disks.push({
        id: key,
        storage: colon > 0 ? volume.slice(0, colon) : null,
        volume: text(volume, 256) ?? '',
        size: text(props.get('size'), 16),
        media: text(props.get('media'), 16) ?? (key === 'rootfs' ? 'rootfs' : key.startsWith('mp') ? 'mount' : null),
      });
    }
  }
  const boot = typeof config.boot === 'string' ? propertyString(config.boot).props.get('order') : undefined;
  const memory = Number(config.memory);
  return {
    ostype: text(config.ostype, 32),
    bootOrder: boot ? boot.split(';').filter((d) => /^[a-z]+\d+$/.test(d)) : [],
    cores: num(config.cores),
    sockets: num(config.sockets),
    memoryMiB: Number.isFinite(memory) ? memory : null,
    onboot: flag(config.onboot),
    protection: flag(config.protection),
    nics,
    disks,
    notes: typeof config.description === 'string' ? config.description.slice(0, 8 * 1024) : '',
    serialPorts: type === 'qemu' ? keys.filter((k) => /^serial[0-3]$/.test(k)) : [],
  };
}

type Iface = GuestInterfaces['interfaces'][number];

/** QEMU guest agent's network-get-interfaces (`{result: [...]}`) or LXC's `interfaces` list. */
export function parseInterfaces(raw: unknown): Iface[] {
  const list = Array.isArray(raw)
    ? raw
    : raw && typeof raw === 'object' && Array.isArray((raw as { result?: unknown }).result)
      ? ((raw as { result: unknown[] }).result as unknown[])
      : [];
  const out: Iface[] = [];
  for (const entry of list.slice(0, 256)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const name = text(e.name, 64);
    if (!name || name === 'lo') continue;
    const addresses: Iface['addresses'] = [];
    for (const a of Array.isArray(e['ip-addresses']) ? (e['ip-addresses'] as unknown[]).slice(0, 64) : []) {
      if (!a || typeof a !== 'object') continue;
      const r = a as Record<string, unknown>;
      const address = text(r['ip-address'], 64);
      if (!address) continue;
      const kind = String(r['ip-address-type'] ?? '');
      addresses.push({
        family: kind === 'ipv6' || kind === 'inet6' || address.includes(':') ? 'ipv6' : 'ipv4',
        address,
        prefix: num(r.prefix),
      });
    }
    out.push({ name, mac: text(e['hardware-address'] ?? e.hwaddr, 32), addresses });
  }
  return out;
}
