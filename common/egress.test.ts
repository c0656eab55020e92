import { describe, expect, it } from 'vitest';
import { checkTarget, parseCidr, parseIp, parseTargetList, parseTargetRule, type TargetRules } from './egress';

const rules = (text: string): TargetRules => {
  const parsed = parseTargetList(text);
  expect(parsed.errors).toEqual([]);
  return parsed.rules;
};
const allowed = (r: TargetRules | null, address: string, port = 8006, name: string | null = null) =>
  checkTarget(r, { name, address, port }).allowed;

describe('parseIp', () => {
  it.each([
    ['127.0.0.1', 4, 0x7f000001n],
    ['::ffff:169.254.169.254', 4, 0xa9fea9fen],
    ['::ffff:a9fe:a9fe', 4, 0xa9fea9fen],
    ['[::ffff:127.0.0.2]', 4, 0x7f000002n],
    ['64:ff9b::a9fe:a9fe', 4, 0xa9fea9fen],
    ['::a9fe:a9fe', 4, 0xa9fea9fen],
    ['::1', 6, 1n],
    ['::', 6, 0n],
    ['fe80::1%eth0', 6, (0xfe80n << 112n) | 1n],
  ] as const)('%s', (text, family, base) => {
    expect(parseIp(text)).toEqual({ family, base, prefix: 32 * (family === 4 ? 1 : 4) });
  });

  it.each(['1.2.3', '256.1.1.1', '01.2.3.4', '0x7f.0.0.1', '1:2:3:4:5:6:7:8:9', '1::2::3', 'example.com', ''])(
    'refuses %s',
    (text) => expect(parseIp(text)).toBeNull(),
  );
});

describe('parseTargetRule', () => {
  it.each([
    ['10.0.0.0/8', { kind: 'net', port: null }],
    ['10.0.0.0/8:8006', { kind: 'net', port: 8006 }],
    ['192.0.2.7', { kind: 'net', port: null }],
    ['[fd00::/8]:8006', { kind: 'net', port: 8006 }],
    ['fd00::/8', { kind: 'net', port: null }],
    ['[fd00::1]', { kind: 'net', port: null }],
    ['pve.example.com', { kind: 'name', name: 'pve.example.com', wildcard: false, port: null }],
    ['PVE.Example.com.:8006', { kind: 'name', name: 'pve.example.com', port: 8006 }],
    ['*.lab.example', { kind: 'name', name: 'lab.example', wildcard: true }],
    ['::ffff:169.254.0.0/112', { kind: 'net', net: { family: 4, base: 0xa9fe0000n, prefix: 16 } }],
  ])('%s', (text, expected) => {
    expect(parseTargetRule(text)).toMatchObject(expected);
  });

  it.each([
    '10.0.0.1/8',
    '10.0.0.0/33',
    '10.0.0.0/8:0',
    '10.0.0.0/8:70000',
    'pve.example.com:x',
    'fd00::/8:8006',
    '[fd00::/8',
    '[fd00::]8006',
    'a b',
    '*',
    'http://x',
    '1.2.3',
    '::ffff:1.2.3.0/80',
  ])('refuses %s', (text) => {
    expect(typeof parseTargetRule(text)).toBe('string');
  });

  it('lists every bad entry at once', () => {
    expect(parseTargetList('10.0.0.0/8, nope nope, 1.2.3.4/40,,pve.lan').errors).toHaveLength(2);
  });
});

describe('checkTarget: the default (no list)', () => {
  it('allows loopback and private addresses, where Proxmox lives', () => {
    for (const a of ['127.0.0.1', '127.0.0.2', '10.1.2.3', '192.168.1.10', '::1', 'fd12::5', '100.64.1.1']) {
      expect(allowed(null, a), a).toBe(true);
    }
  });

  it('refuses link-local and metadata addresses in every spelling', () => {
    for (const a of [
      '169.254.169.254',
      '169.254.0.1',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '64:ff9b::169.254.169.254',
      '::169.254.169.254',
      'fe80::1',
      'fe80::1%eth0',
      'febf::1',
      'fd00:ec2::254',
      '100.100.100.200',
      '::ffff:100.100.100.200',
      '192.0.0.192',
      '0.0.0.0',
      '0.1.2.3',
      '::ffff:0.0.0.0',
      '::',
    ]) {
      expect(checkTarget(null, { name: null, address: a, port: 80 }), a).toMatchObject({ allowed: false });
    }
  });
});

describe('checkTarget: with a list', () => {
  const list = rules('127.0.0.1, 10.0.0.0/8:8006, [fd00::/8]:8006, pve.example.com, *.lab.example:8006');

  it('allows what a CIDR entry covers, on its port', () => {
    expect(allowed(list, '127.0.0.1', 1)).toBe(true);
    expect(allowed(list, '127.0.0.2')).toBe(false);
    expect(allowed(list, '10.9.9.9', 8006)).toBe(true);
    expect(allowed(list, '10.9.9.9', 22)).toBe(false);
    expect(allowed(list, 'fd00::9', 8006)).toBe(true);
    expect(allowed(list, '::ffff:10.0.0.1', 8006)).toBe(true);
  });

  it('allows names by name, and wildcards only below the domain', () => {
    expect(allowed(list, '192.0.2.1', 8006, 'pve.example.com')).toBe(true);
    expect(allowed(list, '192.0.2.1', 8006, 'PVE.EXAMPLE.COM.')).toBe(true);
    expect(allowed(list, '192.0.2.1', 8006, 'other.example.com')).toBe(false);
    expect(allowed(list, '192.0.2.1', 8006, 'a.lab.example')).toBe(true);
    expect(allowed(list, '192.0.2.1', 8006, 'lab.example')).toBe(false);
    expect(allowed(list, '192.0.2.1', 22, 'a.lab.example')).toBe(false);
  });

  it('never lets a name or a broad range unlock metadata addresses', () => {
    expect(allowed(list, '169.254.169.254', 8006, 'pve.example.com')).toBe(false);
    expect(allowed(rules('0.0.0.0/0'), '169.254.169.254')).toBe(false);
    expect(allowed(rules('::/0'), 'fe80::1')).toBe(false);
    expect(allowed(rules('0.0.0.0/0'), '0.0.0.0')).toBe(false);
  });

  it('lets an entry inside a refused range list it explicitly', () => {
    expect(allowed(rules('169.254.10.0/24'), '169.254.10.5')).toBe(true);
    expect(allowed(rules('169.254.10.0/24'), '169.254.169.254')).toBe(false);
    expect(allowed(rules('169.254.0.0/16:8006'), '169.254.169.254', 8006)).toBe(true);
    expect(allowed(rules('169.254.0.0/16:8006'), '169.254.169.254', 80)).toBe(false);
    expect(allowed(rules('[fe80::/64]'), 'fe80::1')).toBe(true);
  });

  it('compares IPv4-mapped entries and addresses as IPv4', () => {
    expect(parseCidr('::ffff:127.0.0.0/104')).toEqual({ family: 4, base: 0x7f000000n, prefix: 8 });
    expect(allowed(rules('::ffff:127.0.0.0/104'), '127.0.0.2')).toBe(true);
    expect(allowed(rules('127.0.0.0/8'), '::ffff:127.0.0.2')).toBe(true);
  });
});
