import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, ensurePrivateFile, tightenIfLoose } from './private-files';

let root: string;
let warnings: string[];
const warn = (msg: string) => warnings.push(msg);
const mode = (p: string) => fs.statSync(p).mode & 0o777;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-private-'));
  warnings = [];
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('private files', () => {
  it('creates a missing directory (and its parents) 0700', () => {
    const dir = path.join(root, 'a', 'data');
    ensurePrivateDir(dir, warn);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(root, 'a'))).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it('leaves an existing open directory alone but says so', () => {
    const dir = path.join(root, 'shared');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    ensurePrivateDir(dir, warn);
    expect(mode(dir)).toBe(0o755);
    expect(warnings.join()).toMatch(/shared is accessible to other users \(mode 755\)/);
  });

  it('creates a missing file 0600 and tightens a loose one with a warning', () => {
    const fresh = path.join(root, 'fresh.db');
    ensurePrivateFile(fresh, warn);
    expect(mode(fresh)).toBe(0o600);
    expect(warnings).toEqual([]);

    const loose = path.join(root, 'loose.db');
    fs.writeFileSync(loose, 'data');
    fs.chmodSync(loose, 0o644);
    ensurePrivateFile(loose, warn);
    expect(mode(loose)).toBe(0o600);
    expect(fs.readFileSync(loose, 'utf8')).toBe('data');
    expect(warnings.join()).toMatch(/loose\.db was readable by other users \(mode 644\)/);
  });

  it('tightenIfLoose ignores a missing file', () => {
    tightenIfLoose(path.join(root, 'missing'), warn);
    expect(warnings).toEqual([]);
  });
});
