import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateKey,
  keyFilePath,
  keyIdOf,
  loadMasterKeyring,
  MasterKeyring,
  openWithMaster,
  readKeyFile,
  resealUnder,
  sealWithMaster,
  writeKeyFile,
} from './master-keyring';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-keyring-'));
  dirs.push(d);
  return path.join(d, 'data');
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('master keyring', () => {
  it('creates a key file with mode 0600 on first start and reuses it', () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const first = loadMasterKeyring({ masterKey: undefined, dataDir: dir }, (m) => warnings.push(m));
    expect(fs.statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(warnings[0]).toMatch(/created a new master key file/);
    const again = loadMasterKeyring({ masterKey: undefined, dataDir: dir });
    expect(again.primary.id).toBe(first.primary.id);
    expect(first.primary.id).toMatch(/^mk-[0-9a-f]{16}$/);
  });

  // Issue 14: a key file others can read is tightened to 0600, not only reported.
  it('tightens a key file readable by others, with a warning', () => {
    const dir = tempDir();
    loadMasterKeyring({ masterKey: undefined, dataDir: dir });
    fs.chmodSync(keyFilePath(dir), 0o644);
    const warnings: string[] = [];
    loadMasterKeyring({ masterKey: undefined, dataDir: dir }, (m) => warnings.push(m));
    expect(warnings.join()).toMatch(/readable by other users \(mode 644\); changed it to 600/);
    expect(fs.statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
  });

  it('prefers the environment key and accepts previous keys for reading', () => {
    const a = generateKey();
    const b = generateKey();
    const ring = loadMasterKeyring({ masterKey: a, previousMasterKeys: [b], dataDir: '/nonexistent' });
    expect(ring.primary.id).toBe(keyIdOf('mk', a));
    expect(ring.find(keyIdOf('mk', b))?.equals(b)).toBe(true);
    expect(ring.find('mk-unknown')).toBeUndefined();
  });

  it('re-reads the key file when it meets an unknown key id (a rotation happened)', () => {
    const dir = tempDir();
    const ring = loadMasterKeyring({ masterKey: undefined, dataDir: dir });
    const old = ring.primary;
    const next = generateKey();
    writeKeyFile(keyFilePath(dir), [next]);
    expect(ring.find(keyIdOf('mk', next))?.equals(next)).toBe(true);
    expect(ring.primary.id).toBe(keyIdOf('mk', next));
    expect(ring.find(old.id)?.equals(old.key)).toBe(true); // still known in this process
    expect(readKeyFile(keyFilePath(dir))).toHaveLength(1);
    expect(fs.statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
  });

  it('refuses a malformed key file with the line number', () => {
    const dir = tempDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(keyFilePath(dir), '# comment\nnot-a-key\n', { mode: 0o600 });
    expect(() => loadMasterKeyring({ masterKey: undefined, dataDir: dir })).toThrow(/line 2/);
  });
});

describe('secrets sealed with the master key', () => {
  it('open with any configured key, and are sealed again under a new one exactly once', () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const before = new MasterKeyring({ kind: 'env', keys: [oldKey] });
    const sealed = sealWithMaster(before, Buffer.from('seed'), 'totp:u1');
    const during = new MasterKeyring({ kind: 'env', keys: [newKey, oldKey] });
    expect(openWithMaster(during, sealed, 'totp:u1')?.toString()).toBe('seed');
    const target = { id: keyIdOf('mk', newKey), key: newKey };
    const moved = resealUnder(during, target, sealed, 'totp:u1');
    expect(moved).not.toBeNull();
    expect(resealUnder(during, target, moved as string, 'totp:u1')).toBeNull();
    const after = new MasterKeyring({ kind: 'env', keys: [newKey] });
    expect(openWithMaster(after, moved as string, 'totp:u1')?.toString()).toBe('seed');
    // The old value needs the old key; bound to its row's context.
    expect(openWithMaster(after, sealed, 'totp:u1')).toBeNull();
    expect(() => resealUnder(after, target, sealed, 'totp:u1')).toThrow(/not configured/);
    expect(() => openWithMaster(during, sealed, 'totp:u2')).toThrow();
  });
});
