// Where recording files live. The filesystem implementation keeps one directory per tenant under
// NEXUS_RECORDINGS_DIR (a shared mount when several instances run); another store (an object
// store) would implement the same interface.
import fs from 'node:fs/promises';
import path from 'node:path';

export interface RecordingStorage {
  /** The new recording's file: absolute path, and the name stored in the database. */
  place(tenantId: string, recordingId: string): { file: string; name: string };
  /** The absolute path of a stored name (refuses names that leave the store). */
  resolve(name: string): string;
  /** Free bytes where new recordings go. */
  freeBytes(): Promise<number>;
  /** Last modification (ms), null when the file is gone. */
  modifiedAt(name: string): Promise<number | null>;
  size(name: string): Promise<number | null>;
  remove(name: string): Promise<void>;
  removeTenant(tenantId: string): Promise<void>;
}

const ID = /^[0-9a-f-]{36}$/;

export class FileRecordingStorage implements RecordingStorage {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  place(tenantId: string, recordingId: string): { file: string; name: string } {
    if (!ID.test(tenantId) || !ID.test(recordingId)) throw new Error('recording ids must be UUIDs');
    const name = `${tenantId}/${recordingId}.nxrec`;
    return { file: this.resolve(name), name };
  }

  resolve(name: string): string {
    const file = path.resolve(this.dir, name);
    if (!file.startsWith(this.dir + path.sep)) throw new Error('recording file outside the store');
    return file;
  }

  async freeBytes(): Promise<number> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const s = await fs.statfs(this.dir);
    return s.bavail * s.bsize;
  }

  async modifiedAt(name: string): Promise<number | null> {
    const s = await fs.stat(this.resolve(name)).catch(() => null);
    return s ? s.mtimeMs : null;
  }

  async size(name: string): Promise<number | null> {
    const s = await fs.stat(this.resolve(name)).catch(() => null);
    return s ? s.size : null;
  }

  async remove(name: string): Promise<void> {
    await fs.rm(this.resolve(name), { force: true });
  }

  async removeTenant(tenantId: string): Promise<void> {
    if (!ID.test(tenantId)) return;
    await fs.rm(path.join(this.dir, tenantId), { recursive: true, force: true });
  }
}
