// The byte stream between the RFB server and a WebSocket: binary frames only, and no server
// frame larger than 128 KiB (pveproxy's limit), so big framebuffer updates are split.
import { Duplex } from 'node:stream';
import { createWebSocketStream, type WebSocket } from 'ws';
import { MAX_FRAME_PAYLOAD } from './frame-guard';

/** `onActivity` is called for traffic in either direction (for the console idle timeout). */
export function wsDuplex(ws: WebSocket, onActivity: () => void = () => {}): Duplex {
  const inner = createWebSocketStream(ws);
  const outer = new Duplex({
    read() {
      inner.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      onActivity();
      let rest = chunk;
      while (rest.length > MAX_FRAME_PAYLOAD) {
        inner.write(rest.subarray(0, MAX_FRAME_PAYLOAD));
        rest = rest.subarray(MAX_FRAME_PAYLOAD);
      }
      inner.write(rest, callback);
    },
    final(callback) {
      inner.end(callback);
    },
    destroy(err, callback) {
      inner.destroy(err ?? undefined);
      callback(err);
    },
  });
  inner.on('data', (data: Buffer) => {
    onActivity();
    if (!outer.push(data)) inner.pause();
  });
  inner.on('end', () => outer.push(null));
  inner.on('error', (err) => outer.destroy(err));
  inner.on('close', () => {
    if (!outer.destroyed) outer.destroy();
  });
  return outer;
}
