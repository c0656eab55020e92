// What the player reads (GET …/recordings/:id/data), produced chunk by chunk so a long recording
// never sits in memory whole. A graphical console's stream is its records as stored (type, time,
// length, payload; see recording-format.ts) from the keyframe chunk before `fromMs` — the player
// feeds noVNC from there. A terminal's is an asciicast v2 file (header line, then
// `[seconds, "o"|"i"|"r", text]` lines), which asciinema plays too.
import type { Logger } from '../../lib/logger';
import { RecordingFormatError, RecordType, records } from './recording-format';
import type { RecordingReader } from './recording-reader';

/** Which chunks a request gets: from the keyframe before `fromMs` (or exactly `chunk`) through
 * the last chunk that starts by `toMs`; `next` continues after them (null: the end). */
export function chunkRange(
  reader: RecordingReader,
  q: { from: number; chunk?: number; to: number },
): { start: number; end: number; next: number | null } {
  const chunks = reader.index.chunks;
  const start = q.chunk ?? reader.startFor(q.from);
  let end = start;
  while (end + 1 < chunks.length && (chunks[end + 1]?.startMs ?? 0) <= q.to) end++;
  return { start, end, next: end + 1 < chunks.length ? end + 1 : null };
}

export async function* playerStream(
  reader: RecordingReader,
  key: Uint8Array,
  kind: 'vnc' | 'terminal',
  range: { start: number; end: number },
  log: Logger,
): AsyncGenerator<Buffer> {
  try {
    const chunks = reader.index.chunks;
    if (kind === 'terminal') yield asciicastHeader(reader, chunks.length > 0 ? await firstSize(reader, key) : null);
    for (let i = range.start; i <= range.end && i < chunks.length; i++) {
      let plain: Buffer;
      try {
        plain = await reader.chunk(i, key);
      } catch (err) {
        // The rest does not open (altered, or cut by a crash): the player gets what came before.
        log.warn(
          { err: (err as Error).message, recordingId: reader.index.header.id, chunk: i },
          'recording chunk unreadable',
        );
        return;
      }
      yield kind === 'vnc' ? plain : asciicastLines(plain);
    }
  } finally {
    await reader.close();
  }
}

function asciicastHeader(reader: RecordingReader, size: { cols: number; rows: number } | null): Buffer {
  const header = {
    version: 2,
    width: size?.cols ?? 80,
    height: size?.rows ?? 24,
    timestamp: Math.floor(reader.index.header.startedAt / 1000),
  };
  return Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
}

/** The terminal's first size (a browser sends it as soon as it is connected). */
async function firstSize(reader: RecordingReader, key: Uint8Array): Promise<{ cols: number; rows: number } | null> {
  try {
    for (const r of records(await reader.chunk(0, key))) {
      if (r.type === RecordType.TermSize) return { cols: r.payload.readUInt16BE(0), rows: r.payload.readUInt16BE(2) };
    }
  } catch (err) {
    if (!(err instanceof RecordingFormatError)) throw err;
  }
  return null;
}

function asciicastLines(plain: Buffer): Buffer {
  const lines: string[] = [];
  for (const r of records(plain)) {
    const at = Number((r.atMs / 1000).toFixed(3));
    if (r.type === RecordType.TermOutput) lines.push(JSON.stringify([at, 'o', r.payload.toString('utf8')]));
    else if (r.type === RecordType.TermInput) lines.push(JSON.stringify([at, 'i', r.payload.toString('utf8')]));
    else if (r.type === RecordType.TermSize) {
      lines.push(JSON.stringify([at, 'r', `${r.payload.readUInt16BE(0)}x${r.payload.readUInt16BE(2)}`]));
    }
  }
  return Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8');
}
