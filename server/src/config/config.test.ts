import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, loadConfig, parseMasterKey, relayWorkersForCores } from './config';

describe('config', () => {
  it('has defaults for everything', () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:8080',
      allowedOrigins: ['http://localhost:8080', 'http://127.0.0.1:8080'],
      secureCookies: false,
      signup: 'closed',
      database: { kind: 'sqlite' },
    });
  });

  it('derives the public URL from the port when NEXUS_PUBLIC_URL is unset (issue 16)', () => {
    const r = loadConfig({ NEXUS_PORT: '18100' });
    expect(r.ok && r.config.publicUrl).toBe('http://localhost:18100');
    expect(r.ok && r.config.allowedOrigins).toEqual(['http://localhost:18100', 'http://127.0.0.1:18100']);
    // A configured URL is the one origin (plus NEXUS_ALLOWED_ORIGINS), whatever the port.
    const set = loadConfig({ NEXUS_PORT: '18100', NEXUS_PUBLIC_URL: 'https://nexus.example.com' });
    expect(set.ok && set.config.allowedOrigins).toEqual(['https://nexus.example.com']);
    expect(loadConfig({ NEXUS_PUBLIC_URL: '' }).ok).toBe(true);
  });

  it('caps connections per address and console tickets per user by default', () => {
    const r = loadConfig({});
    expect(r.ok && r.config.maxConnectionsPerIp).toBe(256);
    expect(r.ok && r.config.consoleTickets).toEqual({ maxPendingPerUser: 3, perUserPerMinute: 30 });
    // Behind a trusted proxy the peer is the proxy: no cap unless one is set.
    const proxied = loadConfig({ NEXUS_TRUST_PROXY: 'true' });
    expect(proxied.ok && proxied.config.maxConnectionsPerIp).toBe(0);
    const set = loadConfig({ NEXUS_TRUST_PROXY: 'true', NEXUS_MAX_CONNECTIONS_PER_IP: '1000' });
    expect(set.ok && set.config.maxConnectionsPerIp).toBe(1000);
    expect(loadConfig({ NEXUS_MAX_CONNECTIONS_PER_IP: '0' }).ok).toBe(true);
    expect(loadConfig({ NEXUS_MAX_CONNECTIONS_PER_IP: '-1' }).ok).toBe(false);
    expect(loadConfig({ NEXUS_CONSOLE_PENDING_TICKETS: '0' }).ok).toBe(false);
  });

  it('sizes the relay workers: auto is one per core but one from 4 cores (none below), or a number up to 64', () => {
    expect(relayWorkersForCores(1)).toBe(0);
    expect(relayWorkersForCores(2)).toBe(0);
    expect(relayWorkersForCores(4)).toBe(3);
    expect(relayWorkersForCores(8)).toBe(7);
    const workers = (v: string) => {
      const r = loadConfig({ NEXUS_RELAY_WORKERS: v });
      return r.ok ? r.config.relayWorkers : null;
    };
    expect(workers('auto')).toBe(relayWorkersForCores(availableParallelism()));
    expect(workers('0')).toBe(0);
    expect(workers('3')).toBe(3);
    expect(workers('65')).toBeNull();
    expect(workers('-1')).toBeNull();
    expect(workers('two')).toBeNull();
  });

  it('lists every problem at once', () => {
    const r = loadConfig({
      NEXUS_PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      NEXUS_SIGNUP: 'maybe',
      NEXUS_ADMIN_EMAIL: 'a@b.c',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.join('\n');
    for (const name of ['NEXUS_PORT', 'DATABASE_URL', 'NEXUS_SIGNUP', 'NEXUS_ADMIN_EMAIL and NEXUS_ADMIN_PASSWORD']) {
      expect(text).toContain(name);
    }
  });

  it('requires a shared master key with PostgreSQL', () => {
    const r = loadConfig({ DATABASE_URL: 'postgres://u@h/db' });
    expect(r.ok).toBe(false);
    const ok = loadConfig({ DATABASE_URL: 'postgres://u@h/db', NEXUS_MASTER_KEY: 'ab'.repeat(32) });
    expect(ok.ok && ok.config.database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
  });

  it('turns on secure cookies and extra origins from the public URL', () => {
    const r = loadConfig({
      NEXUS_PUBLIC_URL: 'https://nexus.example.com/',
      NEXUS_ALLOWED_ORIGINS: 'https://a.example, http://b.example:8443',
    });
    expect(r.ok && r.config).toMatchObject({
      secureCookies: true,
      publicUrl: 'https://nexus.example.com',
      allowedOrigins: ['https://nexus.example.com', 'https://a.example', 'http://b.example:8443'],
    });
    expect(loadConfig({ NEXUS_ALLOWED_ORIGINS: 'javascript:alert(1)' }).ok).toBe(false);
  });

  it('reads the egress policy, listing every bad entry with the others', () => {
    const unset = loadConfig({});
    expect(unset.ok && unset.config.allowedTargets).toBeNull();
    const set = loadConfig({ NEXUS_ALLOWED_TARGETS: '10.0.0.0/8:8006, [fd00::/8]:8006, pve.example.com' });
    expect(set.ok && set.config.allowedTargets?.map((r) => r.kind)).toEqual(['net', 'net', 'name']);
    const bad = loadConfig({ NEXUS_ALLOWED_TARGETS: '10.0.0.1/8, not a host, 1.2.3.4:99999', NEXUS_PORT: 'x' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.filter((e) => e.startsWith('NEXUS_ALLOWED_TARGETS'))).toHaveLength(3);
    expect(bad.errors.some((e) => e.startsWith('NEXUS_PORT'))).toBe(true);
    expect(loadConfig({ NEXUS_ALLOWED_TARGETS: ' ' }).ok).toBe(true); // blank is unset
    expect(loadConfig({ NEXUS_ALLOWED_TARGETS: ' , ' }).ok).toBe(false); // a list of nothing is a mistake
  });

  it('parses master keys in hex and base64 only', () => {
    expect(parseMasterKey('00'.repeat(32))?.length).toBe(32);
    expect(parseMasterKey(Buffer.alloc(32, 7).toString('base64'))?.length).toBe(32);
    expect(parseMasterKey('short')).toBeNull();
    expect(parseMasterKey('zz'.repeat(32))).toBeNull();
  });

  it('is documented in the README, variable by variable', () => {
    const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    for (const name of ENV_VARIABLES) expect(table, name).toContain(`\`${name}\``);
  });
});
