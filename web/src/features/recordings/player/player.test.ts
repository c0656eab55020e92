import { PLAYER_RECORD } from '@common/schemas/recordings';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecordingChannel } from './recording-channel';
import { decodeState, type PlayerRecord, parseRecords } from './records';
import { parseCast, TerminalPlayback } from './terminal-playback';
import { VncPlayback } from './vnc-playback';

function record(type: number, atMs: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint8(0, type);
  v.setUint32(1, atMs);
  v.setUint32(5, payload.length);
  out.set(payload, 9);
  return out;
}

function statePayload(width: number, height: number, name: string): Uint8Array {
  const n = new TextEncoder().encode(name);
  const out = new Uint8Array(20 + n.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, width);
  v.setUint16(2, height);
  out[4] = 32;
  out.set(n, 20);
  return out;
}

const state = (atMs: number): PlayerRecord => ({
  type: PLAYER_RECORD.State,
  atMs,
  payload: statePayload(640, 480, 'vm'),
});
const server = (atMs: number, byte: number): PlayerRecord => ({
  type: PLAYER_RECORD.Server,
  atMs,
  payload: Uint8Array.of(byte),
});

describe('recording records', () => {
  it('parses the player stream and a state', () => {
    const bytes = new Uint8Array([
      ...record(4, 0, statePayload(800, 600, 'web-01')),
      ...record(1, 7, Uint8Array.of(1, 2)),
    ]);
    const records = parseRecords(bytes.buffer);
    expect(records.map((r) => [r.type, r.atMs, r.payload.length])).toEqual([
      [4, 0, 26],
      [1, 7, 2],
    ]);
    expect(decodeState(records[0]?.payload ?? new Uint8Array())).toMatchObject({
      width: 800,
      height: 600,
      name: 'web-01',
    });
    expect(() => parseRecords(bytes.slice(0, bytes.length - 1).buffer)).toThrow(/inside a record/);
  });
});

describe('RecordingChannel', () => {
  it('plays the server side of the handshake, then hands over recorded bytes', async () => {
    const channel = new RecordingChannel({ width: 2, height: 1, pixelFormat: new Uint8Array(16), name: 'x' });
    const got: Uint8Array[] = [];
    channel.onmessage = (e) => got.push(new Uint8Array(e.data));
    channel.push(Uint8Array.of(9)); // held until the handshake is through
    const turn = () => new Promise((r) => setTimeout(r, 0));
    await turn();
    expect(channel.readyState).toBe('open');
    expect(new TextDecoder().decode(got[0])).toBe('RFB 003.008\n');
    channel.send(new TextEncoder().encode('RFB 003.008\n'));
    expect(got).toHaveLength(1); // answers come after the send returns
    await turn();
    expect([...(got[1] ?? [])]).toEqual([1, 1]);
    channel.send(Uint8Array.of(1));
    await turn();
    expect([...(got[2] ?? [])]).toEqual([0, 0, 0, 0]);
    channel.send(Uint8Array.of(1));
    await turn();
    expect(got[3]?.length).toBe(25); // ServerInit with a one-byte name
    expect([...(got[4] ?? [])]).toEqual([9]);
    expect(channel.ready).toBe(true);
    channel.send(Uint8Array.of(3, 0, 0, 0)); // noVNC's requests go nowhere
    await turn();
    expect(got).toHaveLength(5);
  });
});

describe('VncPlayback', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  function setup(
    windows: (q: { from?: number; chunk?: number; to: number }) => { records: PlayerRecord[]; next: number | null },
  ) {
    const pushed: number[] = [];
    const fetches: { from?: number; chunk?: number; to: number }[] = [];
    let attached = 0;
    const p = new VncPlayback({
      durationMs: 120_000,
      fetchWindow: async (q) => {
        fetches.push(q);
        return windows(q);
      },
      attach: (channel) => {
        attached++;
        const push = channel.push.bind(channel);
        channel.push = (b) => {
          pushed.push(b[0] ?? -1);
          push(b);
        };
        return { dispose: () => {} };
      },
      onProgress: () => {},
      now: () => now,
    });
    return { p, pushed, fetches, attached: () => attached };
  }

  it('seeks from a keyframe, handing over everything up to the target at once', async () => {
    const { p, pushed, fetches, attached } = setup(() => ({
      records: [state(30_000), server(30_000, 1), server(31_000, 2), server(40_000, 3)],
      next: null,
    }));
    await p.seek(35_000);
    expect(fetches[0]).toEqual({ from: 35_000, to: 95_000 });
    expect(attached()).toBe(1);
    expect(pushed).toEqual([1, 2]);
    expect(p.state.positionMs).toBe(35_000);
  });

  it('plays in time at the chosen speed and fetches the next window ahead', async () => {
    const { p, pushed, fetches } = setup((q) =>
      q.chunk === undefined
        ? { records: [state(0), server(0, 1), server(5_000, 2)], next: 4 }
        : { records: [server(70_000, 3)], next: null },
    );
    await p.seek(0);
    p.setSpeed(4);
    p.play();
    now += 1_000; // 4 s of recording
    await vi.advanceTimersByTimeAsync(40);
    expect(pushed).toEqual([1]);
    expect(fetches.at(-1)).toEqual({ chunk: 4, to: 65_000 });
    now += 500; // 6 s
    await vi.advanceTimersByTimeAsync(40);
    expect(pushed).toEqual([1, 2]);
    p.pause();
    expect(p.state.playing).toBe(false);
  });
});

describe('TerminalPlayback', () => {
  it('replays asciicast output and resizes up to the position; a seek starts over', () => {
    const cast = parseCast(
      [
        '{"version":2,"width":80,"height":24}',
        '[0.1,"o","hello "]',
        '[0.5,"r","100x30"]',
        '[1.0,"i","x"]',
        '[2.0,"o","world"]',
      ].join('\n'),
    );
    const out: string[] = [];
    const sizes: string[] = [];
    let now = 0;
    const p = new TerminalPlayback(
      cast,
      { reset: () => out.splice(0), write: (t) => out.push(t), resize: (c, r) => sizes.push(`${c}x${r}`) },
      2_000,
      () => {},
      () => now,
    );
    expect(out).toEqual([]);
    p.seek(1_500);
    expect(out.join('')).toBe('hello ');
    expect(sizes.at(-1)).toBe('100x30');
    p.seek(2_000);
    expect(out.join('')).toBe('hello world');
    p.seek(0);
    expect(out).toEqual([]);
    now = 0;
    expect(() => parseCast('{"version":1}')).toThrow(/asciicast v2/);
  });
});
