import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error';
import { type CacheKey, ResourceCache } from './resource-cache';

describe('ResourceCache', () => {
  const key: CacheKey = { tenantId: 't', serverId: 's', version: '1', timeoutMs: 1000 };
  function setup(fetch: () => Promise<never[]>) {
    let now = 0;
    const clock = { now: () => now };
    const cache = new ResourceCache(() => fetch(), { ttlMs: 100, maxStaleMs: 1000, graceMs: 20 }, clock);
    return { cache, advance: (ms: number) => (now += ms) };
  }

  it('fetches once for concurrent callers and serves fresh results from memory', async () => {
    let calls = 0;
    const { cache, advance } = setup(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      return [];
    });
    const answers = await Promise.all(Array.from({ length: 20 }, () => cache.get(key)));
    expect(calls).toBe(1);
    expect(new Set(answers.map((a) => a.snapshot)).size).toBe(1);
    advance(50);
    await cache.get(key);
    expect(calls).toBe(1);
  });

  it('serves a failing server stale at once while it refreshes in the background', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const { cache, advance } = setup(() => {
      calls++;
      if (calls === 1) return Promise.reject(new AppError('proxmox.timeout', 'slow'));
      return new Promise((resolve) => {
        release = () => resolve([]);
      });
    });
    const first = await cache.get(key);
    expect(first.snapshot).toMatchObject({ ok: false, error: { code: 'proxmox.timeout' } });
    advance(200);
    const second = await cache.get(key);
    expect(second).toMatchObject({ stale: true, snapshot: { ok: false } });
    expect(calls).toBe(2);
    await cache.get(key);
    expect(calls).toBe(2); // single flight
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect((await cache.get(key)).snapshot.ok).toBe(true);
  });

  it('starts over when the server changes, and blocks when the result is too old', async () => {
    let calls = 0;
    const { cache, advance } = setup(async () => {
      calls++;
      return [];
    });
    await cache.get(key);
    await cache.get({ ...key, version: '2' });
    expect(calls).toBe(2);
    advance(5000);
    const res = await cache.get({ ...key, version: '2' });
    expect(res.stale).toBe(false);
    expect(calls).toBe(3);
  });
});
