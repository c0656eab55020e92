import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PIXEL_FORMAT_XRGB32 } from '@common/rfb/pixel-format';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkFlag, decodeState, openChunk, RecordType, records } from './recording-format';
import { RecordingReader } from './recording-reader';
import { type RecordingSpec, RecordingWriter } from './recording-writer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxrec-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function spec(over: Partial<RecordingSpec> = {}): RecordingSpec {
  const id = randomUUID();
  return {
    id,
    tenantId: randomUUID(),
    kind: 'vnc',
    file: path.join(dir, `${id}.nxrec`),
    key: randomBytes(32),
    keyId: 'dk-test',
    startedAt: Date.now(),
    maskKeys: false,
    keyframeEveryMs: 0,
    ...over,
  };
}

const screen = { width: 640, height: 480, pixelFormat: PIXEL_FORMAT_XRGB32, name: 'vm-1' };

async function readAll(file: string, key: Uint8Array) {
  const reader = await RecordingReader.open(file);
  const out: { type: number; atMs: number; payload: Buffer }[] = [];
  try {
    for (let i = 0; i < reader.index.chunks.length; i++) out.push(...records(await reader.chunk(i, key)));
  } finally {
    await reader.close();
  }
  return { out, index: reader.index };
}

describe('recording files', () => {
  it('round-trips records through chunks; keyframes start chunks once confirmed', async () => {
    let now = 1000;
    const s = spec();
    const w = new RecordingWriter(s, () => now, { flushMs: 60_000, maxCompressing: 1 });
    w.state(screen);
    w.server(Buffer.from('first'));
    now += 5;
    w.key(true, 0x61);
    w.pointer(1, 10, 20);
    w.keyframe(screen);
    w.server(Buffer.from('second'));
    w.confirmKeyframe();
    now += 10;
    w.keyframe(screen);
    w.server(Buffer.from('third'));
    w.cancelKeyframe(); // the whole picture never came
    const outcome = await w.end();
    expect(outcome).toMatchObject({ error: null, durationMs: 15 });
    expect(outcome.bytes).toBe(fs.statSync(s.file).size);
    const { out, index } = await readAll(s.file, s.key);
    expect(index.complete).toBe(true);
    expect(index.chunks.map((c) => c.flags & ChunkFlag.Keyframe)).toEqual([0, ChunkFlag.Keyframe, 0]);
    expect(index.chunks.at(-1)?.flags).toBe(ChunkFlag.End | ChunkFlag.Stored);
    expect(index.chunks[0]?.flags).toBe(ChunkFlag.Keys | ChunkFlag.Clicks);
    // One deflate at a time here: the chunks sealed while it ran were stored as they were.
    expect(index.chunks.map((c) => (c.flags & ChunkFlag.Stored) !== 0)).toEqual([false, true, true]);
    expect(out.map((r) => r.type)).toEqual([
      RecordType.State,
      RecordType.Server,
      RecordType.Key,
      RecordType.Pointer,
      RecordType.State,
      RecordType.Server,
      RecordType.State,
      RecordType.Server,
    ]);
    expect(decodeState(out[0]?.payload ?? Buffer.alloc(0))).toEqual(screen);
    expect(out[2]?.payload.readUInt32BE(1)).toBe(0x61);
    expect(out.at(-1)?.payload.toString()).toBe('third');
    expect(out.at(-1)?.atMs).toBe(15);
  });

  it('masks keys, and opens with no other key or recording id', async () => {
    const s = spec({ maskKeys: true });
    const w = new RecordingWriter(s, Date.now);
    w.state(screen);
    w.key(true, 0x70);
    w.termInput(Buffer.from('secret'));
    await w.end();
    const { out } = await readAll(s.file, s.key);
    expect(out[1]?.payload.readUInt32BE(1)).toBe(0);
    expect(out[2]?.payload.length).toBe(0);
    expect(fs.readFileSync(s.file).includes(Buffer.from('vm-1'))).toBe(false);
    await expect(readAll(s.file, randomBytes(32))).rejects.toThrow(/does not open/);
    // A chunk opens only under its own recording's id (bound as additional data).
    const reader = await RecordingReader.open(s.file);
    const c = reader.index.chunks[0];
    const raw = fs.readFileSync(s.file).subarray(c?.offset ?? 0, (c?.offset ?? 0) + 20 + (c?.bodyLength ?? 0));
    expect(() => openChunk(s.key, randomUUID(), raw.subarray(0, 20), raw.subarray(20))).toThrow(/does not open/);
    expect(() => openChunk(s.key, s.id, raw.subarray(0, 20), raw.subarray(20))).not.toThrow();
    await reader.close();
  });

  it('a file cut mid-chunk reads to its last whole chunk', async () => {
    let now = 0;
    const s = spec();
    const w = new RecordingWriter(s, () => now, { flushMs: 60_000 });
    w.state(screen);
    for (let i = 0; i < 3; i++) {
      now += 100;
      w.server(Buffer.alloc(2000, i));
      w.keyframe(screen);
      w.confirmKeyframe();
    }
    await w.end();
    const bytes = fs.readFileSync(s.file);
    fs.writeFileSync(s.file, bytes.subarray(0, bytes.length - 40));
    const reader = await RecordingReader.open(s.file);
    expect(reader.index.complete).toBe(false);
    expect(reader.index.trailingBytes).toBeGreaterThan(0);
    expect(reader.index.chunks.length).toBeGreaterThanOrEqual(3);
    expect(reader.startFor(250)).toBe(2);
    expect(reader.startFor(0)).toBe(0);
    await reader.close();
  });

  it('stops recording, not the console, when storage fails', async () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    const w = new RecordingWriter(spec({ file: path.join(blocker, 'r.nxrec') }), Date.now);
    w.server(Buffer.from('data'));
    const outcome = await w.end();
    expect(outcome.error).toMatch(/recording storage/);
    expect(w.active).toBe(false);
  });
});
