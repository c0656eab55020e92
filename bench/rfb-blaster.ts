// A synthetic RFB 3.8 server for the relay benchmark: VNC authentication, then, per guest id,
// either raw framebuffer updates as fast as the peer reads them ("blast"), a paced stream of
// 2 Mbit/s, one full frame per whole-screen request ("frame", as a still screen answers), or
// nothing. Every mode answers ClientCutText with the same text as ServerCutText,
// which is the 64-byte ping-pong the latency figures use. It runs over TCP (behind pve-sim's
// bridge or websockify) and over a plain WebSocket (a vncwebsocket stand-in without TLS).
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { PIXEL_FORMAT_XRGB32 } from '@common/rfb/pixel-format';
import {
  ClientHandshakeReader,
  encodeProtocolVersion,
  encodeSecurityResult,
  encodeSecurityTypes,
  encodeServerInit,
  SecurityType,
} from '@common/rfb/rfb-handshake';
import { ClientMessageParser, encodeFramebufferUpdateHeader, writeRectHeader } from '@common/rfb/rfb-messages';
import { verifyVncAuthResponse } from '@common/rfb/vnc-auth';
import type { WebSocket } from 'ws';

export const BLASTER_PASSWORD = 'bench-pw';
export const WIDTH = 1024;
export const HEIGHT = 768;

export type BlastMode = 'blast' | 'paced' | 'frame' | 'idle';

/** Guest ids: 100–199 blast, 400–499 frame, 10000–19999 paced at 2 Mbit/s, anything else idle. */
export function modeOf(vmid: number): BlastMode {
  if (vmid >= 100 && vmid < 200) return 'blast';
  if (vmid >= 400 && vmid < 500) return 'frame';
  if (vmid >= 10_000 && vmid < 20_000) return 'paced';
  return 'idle';
}

/** One full-screen raw update, built once. */
export const FULL_FRAME = (() => {
  const out = Buffer.alloc(4 + 12 + WIDTH * HEIGHT * 4);
  out.set(encodeFramebufferUpdateHeader(1));
  writeRectHeader(out, 4, { x: 0, y: 0, width: WIDTH, height: HEIGHT }, 0);
  for (let i = 16; i < out.length; i++) out[i] = i & 0xff;
  return out;
})();

/** A 64×48 raw update every 50 ms: 12,304 bytes × 20/s ≈ 1.97 Mbit/s. */
const PACED_UPDATE = (() => {
  const w = 64;
  const h = 48;
  const out = Buffer.alloc(4 + 12 + w * h * 4);
  out.set(encodeFramebufferUpdateHeader(1));
  writeRectHeader(out, 4, { x: 0, y: 0, width: w, height: h }, 0);
  return out;
})();
export const PACED_INTERVAL_MS = 50;

/** Where the blaster writes: a TCP socket or a WebSocket, with the same back-pressure signal. */
export interface Transport {
  /** false: wait for `onDrain` before writing more. */
  write(data: Buffer): boolean;
  onDrain(fn: () => void): void;
  onData(fn: (data: Buffer) => void): void;
  onClose(fn: () => void): void;
  close(): void;
}

export function tcpTransport(socket: Socket): Transport {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  return {
    write: (data) => socket.write(data),
    onDrain: (fn) => socket.once('drain', fn),
    onData: (fn) => socket.on('data', fn),
    onClose: (fn) => socket.once('close', fn),
    close: () => socket.destroy(),
  };
}

const WS_HIGH_WATER = 1024 * 1024;
/** pveproxy's largest server frame: big updates go out in 128 KiB frames, as from Proxmox. */
const WS_MAX_FRAME = 128 * 1024;

export function wsTransport(ws: WebSocket): Transport {
  let queued = 0;
  let drainWaiter: (() => void) | undefined;
  ws.on('error', () => {});
  return {
    write(data) {
      if (ws.readyState !== ws.OPEN) return false; // gone: no more drains either
      queued += data.length;
      for (let at = 0; at < data.length; at += WS_MAX_FRAME) {
        const frame = data.subarray(at, at + WS_MAX_FRAME);
        ws.send(frame, { binary: true }, () => {
          queued -= frame.length;
          if (drainWaiter && queued < WS_HIGH_WATER / 4) {
            const fn = drainWaiter;
            drainWaiter = undefined;
            fn();
          }
        });
      }
      return queued < WS_HIGH_WATER;
    },
    onDrain: (fn) => {
      drainWaiter = fn;
    },
    onData: (fn) => ws.on('message', (data: Buffer) => fn(data)),
    onClose: (fn) => ws.once('close', fn),
    close: () => ws.terminate(),
  };
}

/** Serves one RFB connection in the given mode. */
export function serveBlaster(t: Transport, mode: BlastMode, password: string | null = BLASTER_PASSWORD): void {
  const reader = new ClientHandshakeReader();
  const parser = new ClientMessageParser();
  let phase: 'version' | 'security' | 'auth' | 'init' | 'running' = 'version';
  let challenge = new Uint8Array(0);
  let closed = false;
  let pacer: NodeJS.Timeout | undefined;
  let blasting = false;
  t.onClose(() => {
    closed = true;
    clearInterval(pacer);
  });

  const blast = (): void => {
    while (!closed) {
      if (!t.write(FULL_FRAME)) {
        // Resume from the event loop, not from inside a write callback: no starving I/O.
        t.onDrain(() => setImmediate(blast));
        return;
      }
    }
  };

  const start = (): void => {
    if (mode === 'blast' && !blasting) {
      blasting = true;
      blast();
    }
    if (mode === 'paced' && !pacer) {
      pacer = setInterval(() => {
        if (!closed) t.write(PACED_UPDATE);
      }, PACED_INTERVAL_MS);
    }
  };

  const onMessages = (chunk: Buffer): void => {
    for (const { message, raw } of parser.push(chunk)) {
      if (message.type === 'ClientCutText') {
        const echo = Buffer.from(raw);
        echo[0] = 3; // ServerCutText has the same layout: type, 3 padding bytes, length, text
        t.write(echo);
      } else if (message.type === 'FramebufferUpdateRequest') {
        if (mode !== 'frame') start();
        else if (!message.incremental) t.write(FULL_FRAME);
      }
    }
  };

  t.onData((chunk) => {
    if (phase === 'running') {
      onMessages(chunk);
      return;
    }
    reader.push(chunk);
    for (;;) {
      if (phase === 'version') {
        if (!reader.protocolVersion()) return;
        t.write(Buffer.from(encodeSecurityTypes([password === null ? SecurityType.None : SecurityType.VncAuth])));
        phase = 'security';
      } else if (phase === 'security') {
        if (reader.securityType() === undefined) return;
        if (password === null) {
          t.write(Buffer.from(encodeSecurityResult()));
          phase = 'init';
        } else {
          challenge = new Uint8Array(randomBytes(16));
          t.write(Buffer.from(challenge));
          phase = 'auth';
        }
      } else if (phase === 'auth') {
        const response = reader.vncAuthResponse();
        if (!response) return;
        if (!verifyVncAuthResponse(challenge, response, password ?? '')) {
          t.write(Buffer.from(encodeSecurityResult('Authentication failed')));
          t.close();
          return;
        }
        t.write(Buffer.from(encodeSecurityResult()));
        phase = 'init';
      } else if (phase === 'init') {
        if (!reader.clientInit()) return;
        t.write(
          Buffer.from(
            encodeServerInit({ width: WIDTH, height: HEIGHT, pixelFormat: PIXEL_FORMAT_XRGB32, name: 'bench' }),
          ),
        );
        phase = 'running';
        const rest = reader.takeRemaining();
        if (rest.length > 0) onMessages(Buffer.from(rest));
        return;
      }
    }
  });
  t.write(Buffer.from(encodeProtocolVersion()));
}
