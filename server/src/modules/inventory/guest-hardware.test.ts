import { describe, expect, it } from 'vitest';
import { parseHardware, parseInterfaces } from './guest-hardware';

describe('guest hardware from Proxmox config', () => {
  it('reads QEMU NICs, disks in index order, the boot order and notes', () => {
    const hw = parseHardware('qemu', {
      net1: 'e1000=BC:24:11:00:00:02,bridge=vmbr1,tag=20',
      net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1',
      scsi10: 'local-lvm:vm-100-disk-2,size=8G',
      scsi0: 'local-lvm:vm-100-disk-0,iothread=1,size=32G',
      ide2: 'none,media=cdrom',
      boot: 'order=scsi0;ide2;net0',
      ostype: 'l26',
      cores: 2,
      memory: '2048',
      description: 'line 1\n<b>not html</b>',
      onboot: 1,
      serial0: 'socket',
    });
    expect(hw.serialPorts).toEqual(['serial0']);
    expect(hw.nics).toEqual([
      {
        id: 'net0',
        model: 'virtio',
        mac: 'BC:24:11:00:00:01',
        bridge: 'vmbr0',
        vlan: null,
        firewall: true,
        name: null,
        ip: null,
      },
      {
        id: 'net1',
        model: 'e1000',
        mac: 'BC:24:11:00:00:02',
        bridge: 'vmbr1',
        vlan: 20,
        firewall: false,
        name: null,
        ip: null,
      },
    ]);
    expect(hw.disks.map((d) => [d.id, d.storage, d.size, d.media])).toEqual([
      ['ide2', null, null, 'cdrom'],
      ['scsi0', 'local-lvm', '32G', null],
      ['scsi10', 'local-lvm', '8G', null],
    ]);
    expect(hw).toMatchObject({ bootOrder: ['scsi0', 'ide2', 'net0'], ostype: 'l26', memoryMiB: 2048, onboot: true });
    expect(hw.notes).toBe('line 1\n<b>not html</b>');
  });

  it('reads container NICs with their name and address, rootfs and mount points', () => {
    const hw = parseHardware('lxc', {
      net0: 'name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,type=veth',
      rootfs: 'local-lvm:vm-101-disk-0,size=8G',
      mp0: 'local-lvm:vm-101-disk-1,mp=/data,size=16G',
    });
    expect(hw.nics[0]).toMatchObject({ model: 'veth', mac: 'BC:24:11:AA:BB:CC', name: 'eth0', ip: 'dhcp' });
    expect(hw.disks.map((d) => [d.id, d.media])).toEqual([
      ['mp0', 'mount'],
      ['rootfs', 'rootfs'],
    ]);
  });

  it('reads agent and container interfaces without loopback', () => {
    const agent = {
      result: [
        { name: 'lo', 'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 }] },
        {
          name: 'ens18',
          'hardware-address': 'bc:24:11:00:00:01',
          'ip-addresses': [
            { 'ip-address': '10.0.0.5', 'ip-address-type': 'ipv4', prefix: 24 },
            { 'ip-address': 'fe80::1', 'ip-address-type': 'ipv6', prefix: 64 },
          ],
        },
      ],
    };
    expect(parseInterfaces(agent)).toEqual([
      {
        name: 'ens18',
        mac: 'bc:24:11:00:00:01',
        addresses: [
          { family: 'ipv4', address: '10.0.0.5', prefix: 24 },
          { family: 'ipv6', address: 'fe80::1', prefix: 64 },
        ],
      },
    ]);
    expect(
      parseInterfaces([
        {
          name: 'eth0',
          hwaddr: 'x',
          'ip-addresses': [{ 'ip-address': '10.1.1.1', 'ip-address-type': 'inet', prefix: 16 }],
        },
      ]),
    ).toEqual([{ name: 'eth0', mac: 'x', addresses: [{ family: 'ipv4', address: '10.1.1.1', prefix: 16 }] }]);
    expect(parseInterfaces(null)).toEqual([]);
    expect(parseInterfaces({ result: 'nope' })).toEqual([]);
  });
});
