import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPLORER_DENY, EXPLORER_MEMBER_READS, type ExplorerMethod, explorerVerdict } from './explorer-policy';

const METHODS: ExplorerMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];

describe('explorerVerdict: refused for everyone', () => {
  it.each([
    '/nodes/pve1/qemu/100/vncproxy',
    '/nodes/pve1/lxc/200/vncproxy',
    '/nodes/pve1/qemu/100/termproxy',
    '/nodes/pve1/lxc/200/termproxy',
    '/nodes/pve1/qemu/100/spiceproxy',
    '/nodes/pve1/qemu/100/vncwebsocket',
    '/nodes/pve1/lxc/200/vncwebsocket',
    '/nodes/pve1/qemu/100/mtunnel',
    '/nodes/pve1/qemu/100/mtunnelwebsocket',
    '/nodes/pve1/vncshell',
    '/nodes/pve1/termproxy',
    '/nodes/pve1/spiceshell',
    '/nodes/pve1/vncwebsocket',
    '/nodes/pve1/qemu/100/agent/exec',
    '/nodes/pve1/qemu/100/agent/exec-status',
    '/nodes/pve1/qemu/100/agent/file-read',
    '/nodes/pve1/qemu/100/agent/file-write',
    '/nodes/pve1/qemu/100/agent/set-user-password',
    '/nodes/pve1/qemu/100/monitor',
    '/nodes/pve1/qemu/100/remote_migrate',
    '/nodes/pve1/execute',
    '/nodes/pve1/storage/local/file-restore/list',
    '/nodes/pve1/storage/local/file-restore/download',
    '/nodes/pve1/storage/local/upload',
    '/nodes/pve1/storage/local/download-url',
    '/nodes/pve1/storage/local/oci-registry-pull',
    '/nodes/pve1/query-url-metadata',
    '/nodes/pve1/query-oci-repo-tags',
    '/access/ticket',
    '/access/vncticket',
    '/access/users/root@pam/token',
    '/access/users/root%40pam/token/nexus',
  ])('%s', (path) => {
    for (const method of METHODS) {
      for (const role of ['admin', 'member'] as const) {
        const v = explorerVerdict(method, path, role);
        expect(v, `${method} ${path} as ${role}`).toMatchObject({ allowed: false, code: 'explorer.endpoint_denied' });
      }
    }
  });

  it('sees through encoding, case, trailing slashes and deeper paths', () => {
    for (const path of [
      '/nodes/pve1/qemu/100/%76ncproxy',
      '/nodes/pve1/qemu/100/VNCPROXY',
      '/nodes/pve1/qemu/100/vncproxy/',
      '/nodes/pve1/qemu/100/vncproxy/extra',
      'nodes/pve1/qemu/100/agent/file-read',
      '/access/users/u%40pve/tokens',
    ]) {
      expect(explorerVerdict('POST', path, 'admin').allowed, path).toBe(false);
    }
  });

  it('refuses every write under /access, and leaves its reads to admins', () => {
    for (const path of [
      '/access/users',
      '/access/acl',
      '/access/password',
      '/access/tfa/root@pam',
      '/access/openid/login',
    ]) {
      for (const method of ['POST', 'PUT', 'DELETE'] as const) {
        expect(explorerVerdict(method, path, 'admin'), `${method} ${path}`).toMatchObject({
          code: 'explorer.endpoint_denied',
        });
      }
      expect(explorerVerdict('GET', path, 'admin').allowed).toBe(true);
      expect(explorerVerdict('GET', path, 'member')).toMatchObject({ code: 'explorer.not_allowed' });
    }
  });

  it('names the rule and the reason', () => {
    const v = explorerVerdict('POST', '/nodes/pve1/qemu/100/vncproxy', 'admin');
    expect(v).toMatchObject({ rule: expect.stringContaining('vncproxy'), reason: expect.stringMatching(/ticket/) });
  });
});

describe('explorerVerdict: admins', () => {
  it.each([
    ['GET', '/version'],
    ['GET', '/access/users'],
    ['GET', '/nodes/pve1/syslog'],
    ['GET', '/nodes/pve1/qemu/100/agent/get-osinfo'],
    ['POST', '/nodes/pve1/qemu/100/agent'],
    ['POST', '/nodes/pve1/qemu/100/status/start'],
    ['PUT', '/nodes/pve1/qemu/100/config'],
    ['DELETE', '/pools/lab'],
    ['POST', '/nodes/pve1/aplinfo'],
    ['GET', '/nodes/pve1/storage/local/content'],
  ] as const)('%s %s is relayed', (method, path) => {
    expect(explorerVerdict(method, path, 'admin')).toEqual({ allowed: true });
  });
});

describe('explorerVerdict: managers and viewers', () => {
  it.each([
    '/',
    '',
    '/version',
    '/cluster',
    '/cluster/status',
    '/cluster/resources',
    '/cluster/tasks',
    '/nodes',
    '/nodes/pve1',
    '/nodes/pve1/status',
    '/nodes/pve1/rrddata',
    '/nodes/pve1/tasks',
    '/nodes/pve1/tasks/UPID%3Apve1%3A0000ABCD%3A00001234%3A65000000%3Aqmstart%3A100%3Aroot%40pam!nexus%3A',
    '/nodes/pve1/tasks/UPID:pve1:1:2:3:qmstart:100:root@pam:/log',
    '/nodes/pve1/tasks/x/status',
    '/nodes/pve1/qemu',
    '/nodes/pve1/lxc',
    '/nodes/pve1/qemu/100',
    '/nodes/pve1/qemu/100/status',
    '/nodes/pve1/qemu/100/status/current',
    '/nodes/pve1/lxc/200/status/current',
    '/nodes/pve1/qemu/100/config',
    '/nodes/pve1/lxc/200/config',
    '/nodes/pve1/qemu/100/rrddata',
    '/nodes/pve1/storage',
    '/nodes/pve1/storage/local/status',
  ])('may GET %s', (path) => {
    expect(explorerVerdict('GET', path, 'member')).toEqual({ allowed: true });
  });

  it.each([
    '/access',
    '/access/users',
    '/access/permissions',
    '/storage',
    '/cluster/log',
    '/cluster/backup',
    '/nodes/pve1/syslog',
    '/nodes/pve1/journal',
    '/nodes/pve1/report',
    '/nodes/pve1/subscription',
    '/nodes/pve1/qemu/100/agent',
    '/nodes/pve1/qemu/100/agent/get-users',
    '/nodes/pve1/qemu/100/cloudinit/dump',
    '/nodes/pve1/qemu/100/config/extra',
    '/nodes/pve1/storage/local/content',
    '/nodes/pve1/vzdump/extractconfig',
  ])('may not GET %s', (path) => {
    expect(explorerVerdict('GET', path, 'member')).toMatchObject({ allowed: false, code: 'explorer.not_allowed' });
  });

  it('may not write anything', () => {
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      expect(explorerVerdict(method, '/nodes/pve1/qemu/100/status/start', 'member')).toMatchObject({
        code: 'explorer.not_allowed',
      });
    }
  });

  it('are refused the denied endpoints with the denial, not the allowlist miss', () => {
    expect(explorerVerdict('GET', '/nodes/pve1/qemu/100/agent/file-read', 'member')).toMatchObject({
      code: 'explorer.endpoint_denied',
    });
  });
});

describe('the lists', () => {
  it('never allow members what everyone is denied', () => {
    for (const pattern of EXPLORER_MEMBER_READS) {
      const concrete = pattern.replaceAll('qemu|lxc', 'qemu').replaceAll('*', 'x');
      expect(explorerVerdict('GET', concrete, 'member').allowed, pattern).toBe(true);
    }
    expect(EXPLORER_DENY.length).toBeGreaterThan(10);
  });
});

describe('docs/SECURITY.md', () => {
  it('lists every rule of both lists', () => {
    const doc = fs.readFileSync(new URL('../docs/SECURITY.md', import.meta.url), 'utf8');
    for (const rule of EXPLORER_DENY) expect(doc, rule.pattern).toContain(`\`${rule.pattern}\``);
    for (const pattern of EXPLORER_MEMBER_READS) expect(doc, pattern).toContain(`\`${pattern}\``);
  });
});
