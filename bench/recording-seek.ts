// `npm run bench -- recording-seek`: seeking in a 30-minute console recording. A recording is
// written with the real writer (a fake clock: a 1024×768 screen, a 100×40 raw update every
// 100 ms, a whole picture every 10 s as the relay's keyframes), then random targets are sought
// as the player does: the window from the keyframe before the target is read (decrypted,
// inflated) and decoded by an RFB client up to the target. Target: any point within 2 s.
// (The browser's noVNC decodes the same bytes; e2e/recordings measures a seek there.)
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PIXEL_FORMAT_XRGB32 } from '@common/rfb/pixel-format';
import { encodeFramebufferUpdateHeader, writeRectHeader } from '@common/rfb/rfb-messages';
import { createLogger } from '../server/src/lib/logger';
import { chunkRange, playerStream } from '../server/src/modules/recordings/player-stream';
import { RecordingReader } from '../server/src/modules/recordings/recording-reader';
import { RecordingWriter } from '../server/src/modules/recordings/recording-writer';
import { parseRecords, replay } from '../test/recordings/replay';

const WIDTH = 1024;
const HEIGHT = 768;
const MINUTES = Number(process.env.BENCH_RECORDING_MINUTES ?? 30);
const SEEKS = Number(process.env.BENCH_SEEKS ?? 20);

function rawUpdate(x: number, y: number, w: number, h: number, seed: number): Buffer {
  const out = Buffer.alloc(4 + 12 + w * h * 4);
  out.set(encodeFramebufferUpdateHeader(1));
  writeRectHeader(out, 4, { x, y, width: w, height: h }, 0);
  for (let i = 16; i < out.length; i += 4) out.writeUInt32LE(((i * 2654435761) ^ seed) >>> 8, i);
  return out;
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-seek-'));
  try {
    const id = randomUUID();
    const key = randomBytes(32);
    const file = path.join(dir, `${id}.nxrec`);
    let now = 0;
    const screen = { width: WIDTH, height: HEIGHT, pixelFormat: PIXEL_FORMAT_XRGB32, name: 'bench' };
    const w = new RecordingWriter(
      {
        id,
        tenantId: randomUUID(),
        kind: 'vnc',
        file,
        key,
        keyId: 'dk-bench',
        startedAt: Date.now(),
        maskKeys: true,
        keyframeEveryMs: 10_000,
      },
      () => now,
      { flushMs: 3_600_000 },
    );
    process.stdout.write(`recording-seek: writing a ${MINUTES}-minute recording…\n`);
    const t0 = performance.now();
    w.state(screen);
    w.server(rawUpdate(0, 0, WIDTH, HEIGHT, 1));
    const end = MINUTES * 60_000;
    let relayed = 0;
    for (now = 100; now <= end; now += 100) {
      if (now % 10_000 === 0) {
        w.keyframe(screen);
        const full = rawUpdate(0, 0, WIDTH, HEIGHT, now);
        w.server(full);
        w.confirmKeyframe();
        relayed += full.length;
      }
      const u = rawUpdate((now / 100) % 900, (now / 1000) % 700, 100, 40, now);
      w.server(u);
      relayed += u.length;
      if (now % 1_000 === 0) {
        w.key(true, 0x61);
        // Let sealing and writing keep up, as real time would.
        while (w.pendingBytes > 4 * 2 ** 20) await new Promise((r) => setTimeout(r, 2));
      }
    }
    const outcome = await w.end();
    if (outcome.error) throw new Error(`the recording failed: ${outcome.error}`);
    const writeSeconds = (performance.now() - t0) / 1000;
    const log = createLogger('silent');
    const times: number[] = [];
    const windows: number[] = [];
    for (let i = 0; i < SEEKS; i++) {
      const target = Math.floor(Math.random() * end);
      const started = performance.now();
      const reader = await RecordingReader.open(file);
      const range = chunkRange(reader, { from: target, to: target });
      const parts: Buffer[] = [];
      for await (const part of playerStream(reader, key, 'vnc', range, log)) parts.push(part);
      const records = parseRecords(Buffer.concat(parts)).filter((r) => r.atMs <= target || r.type === 4);
      windows.push(records.reduce((n, r) => n + r.payload.length, 0));
      const client = await replay(records);
      client.stream.destroy();
      times.push(performance.now() - started);
    }
    const rows = [
      [
        'recording',
        `${MINUTES} min, ${(relayed / 2 ** 20).toFixed(0)} MiB relayed → ${(outcome.bytes / 2 ** 20).toFixed(1)} MiB stored (${writeSeconds.toFixed(1)} s to write)`,
      ],
      [
        'seek to any point: read + decode to the target, p50 / p99 (ms)',
        `${percentile(times, 50).toFixed(0)} / ${percentile(times, 99).toFixed(0)} (target ≤ 2000: ${percentile(times, 99) <= 2000 ? 'met' : 'MISSED'})`,
      ],
      ['data decoded per seek, p50 (MiB)', (percentile(windows, 50) / 2 ** 20).toFixed(1)],
    ];
    const width = Math.max(...rows.map((r) => (r[0] ?? '').length));
    process.stdout.write(`\n${rows.map(([a, b]) => `| ${(a ?? '').padEnd(width)} | ${b} |`).join('\n')}\n`);
    process.stdout.write(`(${SEEKS} random seeks; node ${process.version})\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
