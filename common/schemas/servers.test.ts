import { describe, expect, it } from 'vitest';
import { normalizeHost } from './servers';

describe('normalizeHost', () => {
  it.each([
    ['PVE.example.com.', 'pve.example.com'],
    ['127.0.0.1', '127.0.0.1'],
    ['[FD00::1]', 'fd00::1'],
    ['::ffff:127.0.0.2', '::ffff:127.0.0.2'],
    ['pve-1', 'pve-1'],
    ['0xpve.example', '0xpve.example'],
  ])('%s → %s', (text, host) => {
    expect(normalizeHost(text)).toBe(host);
  });

  it.each(['2130706433', '127.1', '0x7f000001', '0x7f.1', '0xa9.0xfe.0xa9.0xfe', '0251.0376.0251.0376', '1.2.3.'])(
    'refuses the legacy IPv4 spelling %s',
    (text) => {
      expect(normalizeHost(text)).toBeNull();
    },
  );

  it.each(['https://pve', 'pve:8006', 'pve/x', 'a b', ''])('refuses %s', (text) => {
    expect(normalizeHost(text)).toBeNull();
  });
});
