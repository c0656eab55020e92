// Files only Nexus's own user may read: the SQLite database (and its -wal/-shm, which SQLite
// creates with the database file's mode) and the master key file, in a data dir made 0700.
import fs from 'node:fs';

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

const modeOf = (p: string): number => fs.statSync(p).mode & 0o777;

/**
 * Creates the directory 0700 if missing. An existing one is left as it is (it may be shared on
 * purpose, /var/lib say) but a group- or world-accessible one is reported.
 */
export function ensurePrivateDir(dir: string, warn: (msg: string) => void): void {
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    return;
  }
  const mode = modeOf(dir);
  if ((mode & 0o077) !== 0) {
    warn(`data directory ${dir} is accessible to other users (mode ${mode.toString(8)}); run chmod 700 on it`);
  }
}

/**
 * Makes `file` readable by its owner only: created empty with 0600 when missing (before SQLite
 * or anyone else creates it with the umask's 0644), tightened with a warning when looser.
 */
export function ensurePrivateFile(file: string, warn: (msg: string) => void): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  tightenIfLoose(file, warn);
}

/** Tightens an existing file to 0600 (with a warning); a missing one is fine. */
export function tightenIfLoose(file: string, warn: (msg: string) => void): void {
  let mode: number;
  try {
    mode = modeOf(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if ((mode & 0o077) === 0) return;
  fs.chmodSync(file, PRIVATE_FILE);
  warn(`${file} was readable by other users (mode ${mode.toString(8)}); changed it to 600`);
}
