import { parseUpid } from '@common/schemas/vms';
import { describe, expect, it } from 'vitest';
import { normalizeResource, normalizeResources, splitTags } from './guest-normalize';

describe('guest normalization', () => {
  it('keeps hostile text as capped, single-line text and drops unusable entries', () => {
    const g = normalizeResource('s', {
      id: 'qemu/100',
      type: 'qemu',
      vmid: '100',
      node: 'pve1',
      name: `<img src=x onerror=alert(1)>\u0000\n${'x'.repeat(500)}`,
      status: 'running',
      cpu: '0.5',
      maxmem: Number.POSITIVE_INFINITY,
      tags: 'prod;web;prod, lab',
      template: 1,
    });
    expect(g?.name?.startsWith('<img src=x onerror=alert(1)>')).toBe(true);
    expect(g?.name?.length).toBeLessThanOrEqual(129);
    expect([...(g?.name ?? '')].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(g).toMatchObject({ vmid: 100, cpu: 0.5, maxmem: null, tags: ['prod', 'web', 'lab'], template: true });
    expect(normalizeResource('s', { type: 'storage', vmid: 1, node: 'pve1' })).toBeNull();
    expect(normalizeResource('s', { type: 'qemu', vmid: 1.5, node: 'pve1' })).toBeNull();
    expect(normalizeResource('s', { type: 'qemu', vmid: 100, node: '../x' })).toBeNull();
    expect(normalizeResource('s', { type: 'lxc', vmid: 100, node: 'pve1' })).toMatchObject({
      status: 'unknown',
      nodeOffline: true,
    });
    const list = normalizeResources('s', [
      { type: 'qemu', vmid: 101, node: 'a', status: 'stopped' },
      { type: 'qemu', vmid: 100, node: 'a', status: 'stopped' },
      { type: 'qemu', vmid: 100, node: 'b', status: 'stopped' },
    ]);
    expect(list.map((g) => [g.vmid, g.node])).toEqual([
      [100, 'a'],
      [101, 'a'],
    ]);
    expect(splitTags(Array.from({ length: 50 }, (_, i) => `t${i}`).join(';'))).toHaveLength(32);
  });
});

describe('parseUpid', () => {
  it('reads the node and fields, and refuses anything else', () => {
    expect(parseUpid('UPID:pve1:0000ABCD:00001234:65000000:qmstart:100:root@pam!nexus:')).toMatchObject({
      node: 'pve1',
      pid: 0xabcd,
      type: 'qmstart',
      id: '100',
      user: 'root@pam!nexus',
    });
    expect(parseUpid('UPID:pve1:0000ABCD:00001234:65000000:qmstart:100:root@pam')).toBeNull();
    expect(parseUpid('UPID:../x:0000ABCD:00001234:65000000:qmstart:100:root@pam:')).toBeNull();
  });
});
