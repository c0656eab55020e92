// A guest's IP addresses: the QEMU guest agent's network-get-interfaces (refused in the three
// ways qemu-server's assert_agent_available words them) and a container's interfaces, which
// pve-container reads with `ip --json a` inside the running container (none when it is stopped).
import { P } from '../http/param-schema';
import { handlerError } from '../http/pve-error';
import { type ApiContext, indexEntries, type RouteDef } from '../http/route-table';
import { guestFigures } from '../model/figures';
import type { SimGuest } from '../model/sim-guest';
import { loadGuest } from './guest-lookup';

const ids = { node: P.node, vmid: P.vmid } as const;

interface Address {
  family: 'v4' | 'v6';
  address: string;
  prefix: number;
}

interface Nic {
  name: string;
  mac: string;
  addresses: Address[];
}

/** fe80::/64 from the MAC (modified EUI-64), as the kernel assigns it. */
function linkLocal(mac: string): string {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const eui = [(b[0] ?? 0) ^ 0x02, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]].map((n) => n ?? 0);
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push((((eui[i] ?? 0) << 8) | (eui[i + 1] ?? 0)).toString(16));
  return `fe80::${groups.join(':')}`;
}

/** The guest's network cards with their addresses: a static `ip=` (container net, cloud-init
 * ipconfig) when the config has one, else the address DHCP would have handed out. */
function nics(guest: SimGuest): Nic[] {
  const out: Nic[] = [];
  const keys = Object.keys(guest.hardware)
    .filter((k) => /^net\d+$/.test(k))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const key of keys) {
    const index = Number(key.slice(3));
    const value = String(guest.hardware[key]);
    const mac = (
      /(?:^|,)(?:virtio|e1000|rtl8139|vmxnet3|hwaddr)=([0-9A-Fa-f:]{17})/.exec(value)?.[1] ?? ''
    ).toLowerCase();
    const ipSource = guest.type === 'lxc' ? value : String(guest.hardware[`ipconfig${index}`] ?? '');
    const fixed = /(?:^|,)ip=([0-9.]+)\/(\d+)/.exec(ipSource);
    const v4: Address = fixed
      ? { family: 'v4', address: fixed[1] ?? '', prefix: Number(fixed[2]) }
      : {
          family: 'v4',
          address: `10.${10 + index}.${Math.floor(guest.vmid / 250) % 256}.${(guest.vmid % 250) + 2}`,
          prefix: 24,
        };
    const name = guest.type === 'lxc' ? (/(?:^|,)name=([^,]+)/.exec(value)?.[1] ?? `eth${index}`) : `ens${18 + index}`;
    out.push({ name, mac, addresses: [v4, { family: 'v6', address: linkLocal(mac), prefix: 64 }] });
  }
  return out;
}

const LOOPBACK: Nic = {
  name: 'lo',
  mac: '00:00:00:00:00:00',
  addresses: [
    { family: 'v4', address: '127.0.0.1', prefix: 8 },
    { family: 'v6', address: '::1', prefix: 128 },
  ],
};

/** GET …/agent/network-get-interfaces: QGA's answer wrapped in `result`. */
function agentInterfaces(ctx: ApiContext) {
  const guest = loadGuest(ctx, 'qemu');
  if (!guest.agent) throw handlerError('No QEMU guest agent configured');
  if (!guest.running) throw handlerError(`VM ${guest.vmid} is not running`);
  // guest-ping times out in a paused VM as well.
  if (!guest.agentRunning || guest.paused) throw handlerError('QEMU guest agent is not running');
  const f = guestFigures(guest, ctx.cluster.now());
  const all = [LOOPBACK, ...nics(guest)];
  return {
    result: all.map((nic, i) => {
      const share = nic === LOOPBACK ? 0.01 : 1 / Math.max(1, all.length - 1);
      const rx = Math.floor(f.netin * share);
      const tx = Math.floor(f.netout * share);
      return {
        name: nic.name,
        'hardware-address': nic.mac,
        'ip-addresses': nic.addresses.map((a) => ({
          'ip-address-type': a.family === 'v4' ? 'ipv4' : 'ipv6',
          'ip-address': a.address,
          prefix: a.prefix,
        })),
        statistics: {
          'rx-bytes': rx,
          'rx-packets': Math.floor(rx / 900) + i,
          'rx-errs': 0,
          'rx-dropped': 0,
          'tx-bytes': tx,
          'tx-packets': Math.floor(tx / 700) + i,
          'tx-errs': 0,
          'tx-dropped': 0,
        },
      };
    }),
  };
}

/** GET /nodes/{node}/lxc/{vmid}/interfaces: PVE::LXC::get_interfaces. It does not load the config:
 * a container that is not running here (or does not exist) has no PID, and the answer is null. */
function containerInterfaces(ctx: ApiContext) {
  const guest = ctx.cluster.guests.get(Number(ctx.params.vmid));
  if (guest?.type !== 'lxc' || guest.node !== ctx.params.node || !guest.running) return null;
  return [LOOPBACK, ...nics(guest)].map((nic) => {
    const entry: Record<string, unknown> = { name: nic.name };
    for (const a of nic.addresses) entry[a.family === 'v4' ? 'inet' : 'inet6'] = `${a.address}/${a.prefix}`;
    entry['ip-addresses'] = nic.addresses.map((a) => ({
      'ip-address-type': a.family === 'v4' ? 'inet' : 'inet6',
      'ip-address': a.address,
      prefix: a.prefix,
    }));
    entry['hardware-address'] = nic.mac;
    entry.hwaddr = nic.mac;
    return entry;
  });
}

export const agentRoutes: RouteDef[] = [
  {
    path: '/nodes/{node}/qemu/{vmid}/agent',
    index: 'name',
    methods: {
      GET: {
        name: 'index',
        params: ids,
        additionalProperties: true,
        permissions: { user: 'all' },
        proxyto: 'node',
        handler: (ctx) => indexEntries('name', ctx.children),
      },
    },
  },
  {
    path: '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces',
    methods: {
      GET: {
        name: 'network-get-interfaces',
        params: ids,
        permissions: { check: ['/vms/{vmid}', ['VM.GuestAgent.Audit', 'VM.GuestAgent.Unrestricted']], any: true },
        proxyto: 'node',
        handler: agentInterfaces,
      },
    },
  },
];

export const containerNetworkRoutes: RouteDef[] = [
  {
    path: '/nodes/{node}/lxc/{vmid}/interfaces',
    methods: {
      GET: {
        name: 'ip',
        params: ids,
        permissions: { check: ['/vms/{vmid}', ['VM.Audit']] },
        proxyto: 'node',
        handler: containerInterfaces,
      },
    },
  },
];
