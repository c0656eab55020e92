// What a guest page reads: a configuration with disks, network cards, boot order, OS type, serial
// ports, agent, tags and notes; the guest agent's network interfaces (and its three refusals); a
// container's interfaces; status/current with ha, lock and qmpstatus; the node's status and
// version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { call } from './test-support/sim-client';

let sim: PveSim;
let s: SimServer;

beforeAll(async () => {
  sim = await startPveSim({
    authFailDelayMs: 20,
    taskDurationMs: 40,
    scenario: {
      clusters: [
        {
          name: 'lab',
          nodes: [{ name: 'pve1' }, { name: 'pve2' }],
          guests: [
            {
              vmid: 100,
              type: 'qemu',
              node: 'pve1',
              name: 'web',
              status: 'running',
              agent: true,
              tags: ['prod', 'web'],
              description: '<script>alert(1)</script> notes',
              config: { serial0: 'socket', ostype: 'win11', ipconfig0: 'ip=192.0.2.10/24,gw=192.0.2.1' },
            },
            { vmid: 101, type: 'qemu', node: 'pve1', name: 'no-agent', status: 'running' },
            { vmid: 102, type: 'qemu', node: 'pve1', name: 'off', agent: true },
            {
              vmid: 103,
              type: 'qemu',
              node: 'pve1',
              name: 'silent',
              status: 'running',
              agent: true,
              agentRunning: false,
            },
            { vmid: 104, type: 'qemu', node: 'pve1', name: 'paused', status: 'paused', agent: true, ha: true },
            { vmid: 200, type: 'lxc', node: 'pve1', name: 'ct', status: 'running' },
            {
              vmid: 201,
              type: 'lxc',
              node: 'pve1',
              name: 'ct-off',
              config: { net0: 'name=eth0,bridge=vmbr0,ip=198.51.100.7/26' },
            },
          ],
        },
      ],
    },
  });
  s = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());

const get = (path: string, token = s.token) => call(s, 'GET', path, { token });

describe('guest configuration', () => {
  it('has disks, a CD-ROM, network cards, boot order, OS type, serial port, agent, tags and notes', async () => {
    const config = (await get('/nodes/pve1/qemu/100/config')).body.data;
    expect(config).toMatchObject({
      name: 'web',
      cores: 2,
      memory: '2048',
      ostype: 'win11',
      scsi0: 'local-lvm:vm-100-disk-0,iothread=1,size=32G',
      net0: expect.stringMatching(/^virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0,firewall=1$/),
      boot: 'order=scsi0;ide2;net0',
      ide2: expect.stringContaining('media=cdrom'),
      serial0: 'socket',
      agent: '1',
      tags: 'prod;web',
      description: '<script>alert(1)</script> notes',
      digest: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const ct = (await get('/nodes/pve1/lxc/200/config')).body.data;
    expect(ct).toMatchObject({
      hostname: 'ct',
      memory: 2048,
      ostype: 'debian',
      rootfs: 'local-lvm:vm-200-disk-0,size=32G',
      net0: expect.stringMatching(/^name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:.{8},ip=dhcp,type=veth$/),
    });
  });

  it('changes its digest when the configuration changes', async () => {
    const before = (await get('/nodes/pve1/qemu/101/config')).body.data.digest;
    const guest = s.guest(101);
    if (guest) guest.lock = 'migrate';
    expect((await get('/nodes/pve1/qemu/101/config')).body.data.digest).not.toBe(before);
    if (guest) guest.lock = undefined;
    expect((await get('/nodes/pve1/qemu/101/config')).body.data.digest).toBe(before);
  });

  it('reports ha, lock and qmpstatus in status/current', async () => {
    const paused = (await get('/nodes/pve1/qemu/104/status/current')).body.data;
    expect(paused).toMatchObject({
      status: 'running',
      qmpstatus: 'paused',
      ha: { managed: 1, state: 'started' },
      agent: 1,
    });
    const guest = s.guest(100);
    if (guest) guest.lock = 'backup';
    expect((await get('/nodes/pve1/qemu/100/status/current')).body.data).toMatchObject({
      lock: 'backup',
      ha: { managed: 0 },
    });
    if (guest) guest.lock = undefined;
  });
});

describe('QEMU guest agent: network-get-interfaces', () => {
  it('answers {result: [...]} with lo and one interface per network card', async () => {
    const res = await get('/nodes/pve1/qemu/100/agent/network-get-interfaces');
    expect(res.status).toBe(200);
    const result = res.body.data.result as {
      name: string;
      'hardware-address': string;
      'ip-addresses': { 'ip-address-type': string; 'ip-address': string; prefix: number }[];
      statistics: Record<string, number>;
    }[];
    expect(result[0]).toMatchObject({
      name: 'lo',
      'ip-addresses': [
        { 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 },
        { 'ip-address-type': 'ipv6', 'ip-address': '::1', prefix: 128 },
      ],
    });
    const mac = /virtio=([0-9A-F:]+)/.exec((await get('/nodes/pve1/qemu/100/config')).body.data.net0)?.[1];
    expect(result[1]).toMatchObject({
      name: 'ens18',
      'hardware-address': mac?.toLowerCase(),
      statistics: expect.objectContaining({ 'rx-bytes': expect.any(Number), 'tx-bytes': expect.any(Number) }),
    });
    // The cloud-init address of ipconfig0, and an IPv6 link-local address from the MAC.
    expect(result[1]?.['ip-addresses'][0]).toEqual({
      'ip-address-type': 'ipv4',
      'ip-address': '192.0.2.10',
      prefix: 24,
    });
    expect(result[1]?.['ip-addresses'][1]?.['ip-address']).toMatch(/^fe80::/);
    // The agent index lists it.
    expect((await get('/nodes/pve1/qemu/100/agent')).body.data).toEqual([{ name: 'network-get-interfaces' }]);
  });

  it.each([
    ['no agent configured', 101, 'No QEMU guest agent configured'],
    ['the VM not running', 102, 'VM 102 is not running'],
    ['an agent that does not answer', 103, 'QEMU guest agent is not running'],
    ['a paused VM', 104, 'QEMU guest agent is not running'],
  ])('refuses for %s', async (_what, vmid, reason) => {
    const res = await get(`/nodes/pve1/qemu/${vmid}/agent/network-get-interfaces`);
    expect([res.status, res.reason]).toEqual([500, reason]);
  });

  it('needs VM.GuestAgent.Audit or VM.GuestAgent.Unrestricted', async () => {
    const auditor = s.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEAuditor' }] });
    const res = await get('/nodes/pve1/qemu/100/agent/network-get-interfaces', auditor);
    expect(res.reason).toBe('Permission check failed (/vms/100, VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted)');
    const vmUser = s.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEVMUser' }] });
    expect((await get('/nodes/pve1/qemu/100/agent/network-get-interfaces', vmUser)).status).toBe(200);
  });

  it('follows the agent flag of the model at run time', async () => {
    const guest = s.guest(103);
    if (!guest) throw new Error('no guest');
    guest.agentRunning = true;
    expect((await get('/nodes/pve1/qemu/103/agent/network-get-interfaces')).status).toBe(200);
    guest.agentRunning = false;
  });
});

describe('container interfaces', () => {
  it('lists lo and eth0 with inet, ip-addresses and hwaddr as `ip --json a` gives them', async () => {
    const data = (await get('/nodes/pve1/lxc/200/interfaces')).body.data as Record<string, unknown>[];
    expect(data.map((i) => i.name)).toEqual(['lo', 'eth0']);
    expect(data[1]).toMatchObject({
      inet: expect.stringMatching(/^10\.10\.\d+\.\d+\/24$/),
      inet6: expect.stringMatching(/^fe80::.*\/64$/),
      hwaddr: expect.stringMatching(/^bc:24:11:/),
      'hardware-address': expect.stringMatching(/^bc:24:11:/),
      'ip-addresses': [
        expect.objectContaining({ 'ip-address-type': 'inet', prefix: 24 }),
        expect.objectContaining({ 'ip-address-type': 'inet6', prefix: 64 }),
      ],
    });
  });

  it('is null for a container that is not running, and uses a static address from the config', async () => {
    expect((await get('/nodes/pve1/lxc/201/interfaces')).body.data).toBeNull();
    s.guest(201)?.setRunning(true, Date.now());
    const data = (await get('/nodes/pve1/lxc/201/interfaces')).body.data as Record<string, unknown>[];
    expect(data[1]?.inet).toBe('198.51.100.7/26');
    s.guest(201)?.setRunning(false, Date.now());
  });
});

describe('node status and version', () => {
  it('gives CPU, memory, uptime, load, root file system and versions', async () => {
    const status = (await get('/nodes/pve1/status')).body.data;
    expect(status).toMatchObject({
      cpu: expect.any(Number),
      uptime: expect.any(Number),
      loadavg: [expect.any(String), expect.any(String), expect.any(String)],
      memory: { total: expect.any(Number), used: expect.any(Number), free: expect.any(Number) },
      rootfs: { total: expect.any(Number), used: expect.any(Number), avail: expect.any(Number) },
      pveversion: 'pve-manager/9.1.9/5e2b4c1d',
      kversion: expect.stringMatching(/^Linux 6\.17\.2-1-pve #1 SMP/),
      cpuinfo: expect.objectContaining({ cpus: 16, sockets: 1 }),
    });
    expect(status.rootfs.used + status.rootfs.avail).toBe(status.rootfs.total);
    expect((await get('/nodes/pve1/version')).body.data).toEqual({
      version: '9.1.9',
      release: '9.1',
      repoid: '5e2b4c1d',
    });
    s.setNodeOnline('pve2', false);
    try {
      expect((await get('/nodes/pve2/status')).status).toBe(595);
    } finally {
      s.setNodeOnline('pve2', true);
    }
  });
});
