import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explorerTarget } from './explorer-path';

const BASE = '/api/tenants/11111111-1111-4111-8111-111111111111/servers/22222222-2222-4222-8222-222222222222/pve';

describe('explorerTarget', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/nodes', '/nodes'],
    ['/nodes/', '/nodes'],
    ['/nodes/pve1/qemu/100/status/current', '/nodes/pve1/qemu/100/status/current'],
    ['/cluster/resources?type=vm', '/cluster/resources'],
    [
      '/nodes/pve1/tasks/UPID%3Apve1%3A0000ABCD%3A00001234%3A65000000%3Aqmstart%3A100%3Aroot%40pam!nexus%3A/status',
      '/nodes/pve1/tasks/UPID%3Apve1%3A0000ABCD%3A00001234%3A65000000%3Aqmstart%3A100%3Aroot%40pam!nexus%3A/status',
    ],
    ['/access/users/root@pam', '/access/users/root%40pam'],
  ])('accepts %s', (suffix, path) => {
    const t = explorerTarget(BASE + suffix);
    expect(t).toMatchObject({ ok: true, path });
  });

  it('passes the query as parameters', () => {
    expect(explorerTarget(`${BASE}/cluster/resources?type=vm&x=a%26b%3Bc`)).toEqual({
      ok: true,
      path: '/cluster/resources',
      query: { type: 'vm', x: 'a&b;c' },
    });
  });

  it.each([
    '/../../etc/passwd',
    '/nodes/..',
    '/nodes/.',
    '/%2e%2e/version',
    '/%2E%2E/version',
    '/nodes/%2e',
    '/nodes%2fpve1',
    '/nodes%2Fpve1',
    '/nodes%5cpve1',
    '/nodes\\pve1',
    '//evil.example/x',
    '/nodes//pve1',
    '/http://127.0.0.1:1/x',
    '/http:%2f%2f127.0.0.1:1/x',
    '/https:/evil',
    '/nodes/%00',
    '/nodes/a%0d%0aX-Injected:%201',
    '/nodes/%252e%252e',
    '/nodes/*',
    '/nodes/a b',
    '/nodes/%zz',
    '/version#frag',
    '/version?a=1&a=2',
    '/version?bad%20name=1',
  ])('refuses %s', (suffix) => {
    expect(explorerTarget(BASE + suffix).ok).toBe(false);
  });

  it('refuses anything outside the explorer prefix', () => {
    expect(explorerTarget('/api/tenants/x/servers/y/other/version').ok).toBe(false);
    expect(explorerTarget('http://evil/api2/json/version').ok).toBe(false);
  });

  it('never yields a path that leaves /api2/json or changes the host', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 6 }), (parts) => {
        const raw = `${BASE}/${parts.join('/')}`;
        const t = explorerTarget(raw);
        if (!t.ok) return;
        expect(t.path.startsWith('/')).toBe(true);
        expect(t.path).not.toMatch(/\/\/|\\|%2f|%5c|%25/i);
        for (const seg of t.path.split('/').slice(1)) {
          const d = decodeURIComponent(seg);
          expect(d).not.toMatch(/^\.+$/);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting control characters never pass
          expect(d).not.toMatch(/[/\\\s\u0000-\u001f]/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
