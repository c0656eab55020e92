// The pass-through of Proxmox's frames: the scanner on hand-made byte streams cut at every
// place, then the tap on a real `ws` connection (data read by read, pings answered by `ws`,
// anything else refused by `ws` as before).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createNetServer, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FrameCork, FrameScanner, type FrameSink, tapBinaryFrames } from './ws-passthrough';

/** One unmasked server frame. */
function frame(opcode: number, payload: Buffer, opts: { fin?: boolean; rsv?: number; mask?: boolean } = {}): Buffer {
  const b0 = ((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode;
  const maskBit = opts.mask ? 0x80 : 0;
  let head: Buffer;
  if (payload.length <= 125) head = Buffer.from([b0, maskBit | payload.length]);
  else if (payload.length <= 0xffff) {
    head = Buffer.alloc(4);
    head[0] = b0;
    head[1] = maskBit | 126;
    head.writeUInt16BE(payload.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = b0;
    head[1] = maskBit | 127;
    head.writeUInt32BE(Math.floor(payload.length / 2 ** 32), 2);
    head.writeUInt32BE(payload.length >>> 0, 6);
  }
  const key = opts.mask ? Buffer.from([1, 2, 3, 4]) : Buffer.alloc(0);
  return Buffer.concat([head, key, payload]);
}

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

/** Records what the scanner hands on. */
function recorder() {
  const data: Buffer[] = [];
  const controls: Buffer[] = [];
  const handedOver: Buffer[] = [];
  const sink: FrameSink = {
    data: (p) => data.push(p),
    control: (f) => controls.push(Buffer.from(f)),
    handOver: (rest) => handedOver.push(Buffer.from(rest)),
  };
  return { sink, data, controls, handedOver };
}

/** Feeds `stream` cut at the given offsets. */
function feed(scanner: FrameScanner, stream: Buffer, cuts: number[]): void {
  let at = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= at || cut >= stream.length) continue;
    scanner.push(stream.subarray(at, cut));
    at = cut;
  }
  scanner.push(stream.subarray(at));
}

describe('FrameScanner', () => {
  const payloads = [bytes(0, 1), bytes(5, 2), bytes(125, 3), bytes(126, 4), bytes(70_000, 5), bytes(300, 6)];
  const ping = frame(0x9, Buffer.from('keepalive'));
  const pong = frame(0xa, Buffer.alloc(0));
  const stream = Buffer.concat([
    frame(2, payloads[0] as Buffer),
    frame(2, payloads[1] as Buffer),
    ping,
    frame(2, payloads[2] as Buffer),
    frame(2, payloads[3] as Buffer),
    pong,
    frame(2, payloads[4] as Buffer),
    frame(2, payloads[5] as Buffer),
  ]);

  it('passes binary payloads on in order and control frames whole, however the reads are cut', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const r = recorder();
        feed(new FrameScanner(r.sink, 1 << 20), stream, cuts);
        expect(Buffer.concat(r.data).equals(Buffer.concat(payloads))).toBe(true);
        expect(r.controls).toEqual([ping, pong]);
        expect(r.handedOver).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('hands on views of the reads, not copies', () => {
    const r = recorder();
    const read = frame(2, bytes(1000, 7));
    new FrameScanner(r.sink, 1 << 20).push(read);
    expect(r.data).toHaveLength(1);
    expect((r.data[0] as Buffer).buffer).toBe(read.buffer);
  });

  it('reads the 64-bit length form', () => {
    const r = recorder();
    const big = bytes(70_000, 9);
    const scanner = new FrameScanner(r.sink, 1 << 20);
    scanner.push(frame(2, big));
    scanner.push(frame(2, Buffer.from('after')));
    expect(Buffer.concat(r.data).equals(Buffer.concat([big, Buffer.from('after')]))).toBe(true);
  });

  it('stops at a close frame: nothing after it is passed on', () => {
    const r = recorder();
    const close = frame(0x8, Buffer.from([0x03, 0xe8]));
    const scanner = new FrameScanner(r.sink, 1 << 20);
    scanner.push(Buffer.concat([frame(2, Buffer.from('a')), close, frame(2, Buffer.from('b'))]));
    scanner.push(frame(2, Buffer.from('c')));
    expect(Buffer.concat(r.data).toString()).toBe('a');
    expect(r.controls).toEqual([close]);
    expect(scanner.passing).toBe(false);
  });

  const refused: [string, Buffer][] = [
    ['a text frame', frame(1, Buffer.from('text'))],
    ['a fragment (FIN clear)', frame(2, Buffer.from('part'), { fin: false })],
    ['a continuation frame', frame(0, Buffer.from('more'))],
    ['reserved bits', frame(2, Buffer.from('x'), { rsv: 4 })],
    ['a masked frame (servers must not mask)', frame(2, Buffer.from('x'), { mask: true })],
    ['a reserved opcode', frame(0x3, Buffer.from('x'))],
    ['a control frame over 125 bytes', frame(0x9, bytes(126, 1))],
    ['a frame over the limit', frame(2, bytes(2000, 1))],
    ['a 64-bit length of 2^32 or more', Buffer.from([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0])],
  ];
  it.each(refused)('hands the stream over to ws at %s, from the frame’s first byte on', (_what, bad) => {
    const good = frame(2, Buffer.from('before'));
    const later = frame(2, Buffer.from('later'));
    const all = Buffer.concat([good, bad]);
    // Cut inside the bad frame's header, so the hand-over has to join header bytes of two reads.
    for (const cut of [good.length + 1, all.length]) {
      const r = recorder();
      const scanner = new FrameScanner(r.sink, 1024);
      scanner.push(all.subarray(0, cut));
      scanner.push(all.subarray(cut));
      scanner.push(later);
      expect(Buffer.concat(r.data).toString()).toBe('before');
      expect(Buffer.concat(r.handedOver).equals(Buffer.concat([bad, later]))).toBe(true);
      expect(scanner.passing).toBe(false);
    }
  });
});

describe('tapBinaryFrames on a real ws connection', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  /** A raw TCP "Proxmox" that completes the upgrade and then writes what the test says. */
  async function rawServer(): Promise<{ url: string; socket: Promise<Socket> }> {
    let resolveSocket!: (s: Socket) => void;
    const socket = new Promise<Socket>((r) => {
      resolveSocket = r;
    });
    const server = createNetServer((s) => {
      s.once('data', (req) => {
        const key = /sec-websocket-key: (.+)\r\n/i.exec(req.toString())?.[1] ?? '';
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        s.write(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
        );
        resolveSocket(s);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.push(() => server.close());
    const { port } = server.address() as { port: number };
    return { url: `ws://127.0.0.1:${port}/`, socket };
  }

  async function tapped(maxPayload = 1 << 20) {
    const server = await rawServer();
    const ws = new WebSocket(server.url, { perMessageDeflate: false });
    cleanup.push(() => ws.terminate());
    const data: Buffer[] = [];
    const messages: { data: Buffer; isBinary: boolean }[] = [];
    ws.on('message', (d: Buffer, isBinary) => messages.push({ data: d, isBinary }));
    let tappedOk = false;
    ws.on('open', () => {
      tappedOk = tapBinaryFrames(ws, maxPayload, (p) => data.push(Buffer.from(p)));
    });
    await once(ws, 'open');
    const peer = await server.socket;
    return { ws, peer, data, messages, tapped: () => tappedOk };
  }

  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(cond()).toBe(true);
  };

  it('delivers binary frames read by read, with no message events', async () => {
    const t = await tapped();
    expect(t.tapped()).toBe(true);
    const big = bytes(300_000, 3);
    t.peer.write(frame(2, Buffer.from('hello ')));
    t.peer.write(frame(2, big));
    await until(() => Buffer.concat(t.data).length === 6 + big.length);
    expect(Buffer.concat(t.data).equals(Buffer.concat([Buffer.from('hello '), big]))).toBe(true);
    expect(t.messages).toEqual([]);
  });

  it('leaves pings to ws (answered with a pong) and reports pongs', async () => {
    const t = await tapped();
    let pong = false;
    t.ws.on('pong', () => {
      pong = true;
    });
    const received: Buffer[] = [];
    t.peer.on('data', (d) => received.push(d));
    t.peer.write(Buffer.concat([frame(0x9, Buffer.from('are you there')), frame(0xa, Buffer.alloc(0))]));
    await until(() => pong && Buffer.concat(received).length >= 2 + 4 + 13);
    const answer = Buffer.concat(received);
    expect(answer[0]).toBe(0x8a); // FIN + pong, masked by the client
    expect(answer[1]).toBe(0x80 | 13);
  });

  it('hands a text frame to ws, which emits it as before (the relay refuses it)', async () => {
    const t = await tapped();
    t.peer.write(Buffer.concat([frame(2, Buffer.from('rfb')), frame(1, Buffer.from('text!'))]));
    await until(() => t.messages.length === 1);
    expect(Buffer.concat(t.data).toString()).toBe('rfb');
    expect(t.messages[0]).toEqual({ data: Buffer.from('text!'), isBinary: false });
  });

  it('leaves a frame over the limit to ws, which refuses it with 1009', async () => {
    const server = await rawServer();
    const ws = new WebSocket(server.url, { perMessageDeflate: false, maxPayload: 1000 });
    cleanup.push(() => ws.terminate());
    ws.on('open', () => tapBinaryFrames(ws, 1000, () => {}));
    ws.on('error', () => {});
    await once(ws, 'open');
    const peer = await server.socket;
    const received: Buffer[] = [];
    peer.on('data', (d) => received.push(d));
    peer.write(frame(2, bytes(5000, 1)));
    await until(() => Buffer.concat(received).length >= 4);
    const close = Buffer.concat(received);
    expect(close[0]).toBe(0x88);
    // Masked close payload: the code is the first two payload bytes unmasked.
    const key = close.subarray(2, 6);
    const code = ((close[6] as number) ^ (key[0] as number)) * 256 + ((close[7] as number) ^ (key[1] as number));
    expect(code).toBe(1009);
  });

  it('follows a close frame through ws (close event with the code)', async () => {
    const t = await tapped();
    const closed = once(t.ws, 'close');
    t.peer.write(frame(0x8, Buffer.from([0x0f, 0xa0, 0x62, 0x79, 0x65]))); // 4000 "bye"
    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(4000);
    expect(reason.toString()).toBe('bye');
  });

  it('passes on what a paused socket still held when it was destroyed (not to ws mid-frame)', async () => {
    const t = await tapped();
    t.ws.pause();
    t.peer.write(Buffer.concat([frame(2, Buffer.from('held')), frame(2, Buffer.from(' back'))]));
    await new Promise((r) => setTimeout(r, 50));
    expect(t.data).toEqual([]);
    const closed = once(t.ws, 'close');
    t.ws.terminate();
    await closed;
    expect(Buffer.concat(t.data).toString()).toBe('held back');
    expect(t.messages).toEqual([]);
  });
});

describe('FrameCork', () => {
  const fake = (calls: string[], name = '') =>
    ({ cork: () => calls.push(`cork${name}`), uncork: () => calls.push(`uncork${name}`) }) as unknown as Socket;

  it('never holds a frame that came whole', () => {
    const calls: string[] = [];
    const cork = new FrameCork(fake(calls));
    for (let i = 0; i < 3; i++) {
      cork.beforeWrite(false);
      cork.afterWrite(false);
    }
    expect(calls).toEqual([]);
  });

  it('holds the pieces of one frame and sends them with its last piece', () => {
    const calls: string[] = [];
    const cork = new FrameCork(fake(calls));
    cork.beforeWrite(true);
    cork.afterWrite(true);
    cork.beforeWrite(true);
    cork.afterWrite(true);
    expect(calls).toEqual(['cork']);
    cork.beforeWrite(false);
    cork.afterWrite(false);
    expect(calls).toEqual(['cork', 'uncork']);
  });

  it('lets the pieces go when the rest of the frame is late (end of the turn)', async () => {
    const calls: string[] = [];
    const a = new FrameCork(fake(calls, ' a'));
    const b = new FrameCork(fake(calls, ' b'));
    a.beforeWrite(true);
    a.afterWrite(true);
    b.beforeWrite(true);
    b.afterWrite(true);
    expect(calls).toEqual(['cork a', 'cork b']);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['cork a', 'cork b', 'uncork a', 'uncork b']);
    a.beforeWrite(false); // the late rest goes straight out
    a.afterWrite(false);
    expect(calls).toHaveLength(4);
  });
});
