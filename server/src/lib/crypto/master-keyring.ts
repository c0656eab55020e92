// The master keys that wrap each tenant's data key: NEXUS_MASTER_KEY (plus
// NEXUS_MASTER_KEY_PREVIOUS during a rotation), or a key file created with mode 0600 in the data
// dir on first start. The first key wraps new data keys; the others are only read.
//
// How a running server learns a rotated key: `rotate-master-key` writes the key file as
// [new, old] before it commits the re-wrapped data keys, and as [new] after; a key-id miss makes
// the keyring re-read the file, so any stored key id is always found. Data keys, once unwrapped,
// stay cached in memory (they do not change on a master-key rotation). With NEXUS_MASTER_KEY the
// environment cannot change under a running process: see docs/ARCHITECTURE.md "Credentials".
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseMasterKey } from '../../config/config';
import { tightenIfLoose } from '../private-files';
import { open, parseSealed, seal } from './aead';

export const KEY_FILE_NAME = 'master.key';

export interface MasterKey {
  id: string;
  key: Buffer;
}

/** A stable, non-secret name for a 256-bit key (a truncated hash reveals nothing usable). */
export function keyIdOf(kind: 'mk' | 'dk' | 'ak', key: Buffer): string {
  return `${kind}-${createHash('sha256').update(`nexus ${kind} id\0`).update(key).digest('hex').slice(0, 16)}`;
}

export function generateKey(): Buffer {
  return randomBytes(32);
}

const KEY_FILE_HEADER = [
  '# Nexus master key: keep it secret and back it up with the database; without it the stored',
  '# Proxmox credentials cannot be read. The first key wraps new data keys; further keys are',
  '# only read (they appear during `npm run nexus -- rotate-master-key`).',
];

export function readKeyFile(file: string): Buffer[] {
  const keys: Buffer[] = [];
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    const key = parseMasterKey(text);
    if (!key) throw new Error(`${file}: line ${i + 1} is not a 32-byte key (64 hex characters)`);
    keys.push(key);
  });
  if (keys.length === 0) throw new Error(`${file}: no key found`);
  return keys;
}

/** Writes the key file atomically (temp file + rename), readable by the owner only. */
export function writeKeyFile(file: string, keys: Buffer[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  const text = `${[...KEY_FILE_HEADER, ...keys.map((k) => k.toString('hex'))].join('\n')}\n`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Creates the key file with a fresh key unless it exists (another process may win the race). */
export function ensureKeyFile(file: string): { created: boolean } {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (fs.existsSync(file)) return { created: false };
  const text = `${[...KEY_FILE_HEADER, generateKey().toString('hex')].join('\n')}\n`;
  try {
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    return { created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { created: false };
    throw err;
  }
}

export type KeySource = { kind: 'env'; keys: Buffer[] } | { kind: 'file'; file: string };

export class MasterKeyring {
  private keys = new Map<string, Buffer>();
  private primaryKey!: MasterKey;

  constructor(readonly source: KeySource) {
    this.reload();
  }

  get primary(): MasterKey {
    return this.primaryKey;
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  /** Re-reads the key file (no-op for environment keys). Throws if the file became unreadable. */
  reload(): void {
    const list = this.source.kind === 'env' ? this.source.keys : readKeyFile(this.source.file);
    const first = list[0];
    if (!first) throw new Error('no master key');
    const keys = new Map<string, Buffer>();
    for (const key of list) keys.set(keyIdOf('mk', key), key);
    // Keys seen before stay known: a data key wrapped by one must remain readable in this process.
    for (const [id, key] of this.keys) if (!keys.has(id)) keys.set(id, key);
    this.keys = keys;
    this.primaryKey = { id: keyIdOf('mk', first), key: first };
  }

  /** The key with this id; on a miss the key file is read again (a rotation may have added it). */
  find(id: string): Buffer | undefined {
    const hit = this.keys.get(id);
    if (hit || this.source.kind !== 'file') return hit;
    try {
      this.reload();
    } catch {
      return undefined;
    }
    return this.keys.get(id);
  }

  /** Before wrapping a new data key: pick up a primary key changed by a rotation. */
  refreshPrimary(): void {
    if (this.source.kind === 'file') {
      try {
        this.reload();
      } catch {
        // keep the keys we have
      }
    }
  }
}

export interface KeyringConfig {
  masterKey: Buffer | undefined;
  previousMasterKeys?: Buffer[] | undefined;
  dataDir: string;
}

/**
 * The keyring for this process: environment keys when given, else the data dir's key file,
 * created on first start. `warn` receives problems worth an operator's attention.
 */
export function loadMasterKeyring(config: KeyringConfig, warn: (msg: string) => void = () => {}): MasterKeyring {
  if (config.masterKey) {
    return new MasterKeyring({ kind: 'env', keys: [config.masterKey, ...(config.previousMasterKeys ?? [])] });
  }
  const file = keyFilePath(config.dataDir);
  const { created } = ensureKeyFile(file);
  if (created) warn(`created a new master key file ${file}: back it up together with the database`);
  tightenIfLoose(file, warn);
  return new MasterKeyring({ kind: 'file', file });
}

export const keyFilePath = (dataDir: string): string => path.join(dataDir, KEY_FILE_NAME);

// ---- small secrets sealed with the master key itself ----------------------------------------------
// Authenticator seeds and identity-provider client secrets belong to no tenant, so no data key:
// they are sealed with the primary master key (context-bound to their row) and sealed again under
// a new key by `rotate-master-key`.

export function sealWithMaster(keyring: Pick<MasterKeyring, 'primary'>, plain: Buffer, context: string): string {
  const { id, key } = keyring.primary;
  return seal(key, id, plain, context);
}

/** The plaintext; null when the master key that sealed it is not configured any more. */
export function openWithMaster(
  keyring: Pick<MasterKeyring, 'find'>,
  sealedText: string,
  context: string,
): Buffer | null {
  const sealed = parseSealed(sealedText);
  const key = keyring.find(sealed.keyId);
  return key ? open(key, sealed, context) : null;
}

/** For a rotation: the value sealed again under `target`, or null when it already is. Throws when
 * no configured key opens it (the whole rotation then rolls back). */
export function resealUnder(
  keyring: Pick<MasterKeyring, 'find'>,
  target: { id: string; key: Buffer },
  sealedText: string,
  context: string,
): string | null {
  const sealed = parseSealed(sealedText);
  if (sealed.keyId === target.id) return null;
  const plain = openWithMaster(keyring, sealedText, context);
  if (!plain) throw new Error(`${context} is sealed with master key ${sealed.keyId}, which is not configured`);
  return seal(target.key, target.id, plain, context);
}
