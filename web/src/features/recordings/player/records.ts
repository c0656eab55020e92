// The player's records (GET …/recordings/:id/data for a graphical console): type(u8) atMs(u32)
// length(u32) payload, as server/src/modules/recordings/recording-format.ts writes them.
import { PLAYER_RECORD } from '@common/schemas/recordings';

export interface PlayerRecord {
  type: number;
  atMs: number;
  payload: Uint8Array;
}

/** The screen a State record describes: ServerInit's size and name, the stream's pixel format
 * (its 16 wire bytes, passed on as they are). */
export interface ScreenState {
  width: number;
  height: number;
  pixelFormat: Uint8Array;
  name: string;
}

export function parseRecords(data: ArrayBuffer): PlayerRecord[] {
  const view = new DataView(data);
  const bytes = new Uint8Array(data);
  const out: PlayerRecord[] = [];
  let at = 0;
  while (at + 9 <= bytes.length) {
    const length = view.getUint32(at + 5);
    if (at + 9 + length > bytes.length) throw new Error('the recording ends inside a record');
    out.push({
      type: view.getUint8(at),
      atMs: view.getUint32(at + 1),
      payload: bytes.subarray(at + 9, at + 9 + length),
    });
    at += 9 + length;
  }
  if (at !== bytes.length) throw new Error('the recording ends inside a record');
  return out;
}

export function decodeState(payload: Uint8Array): ScreenState {
  if (payload.length < 20) throw new Error('short state record');
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return {
    width: view.getUint16(0),
    height: view.getUint16(2),
    pixelFormat: payload.slice(4, 20),
    name: new TextDecoder().decode(payload.subarray(20)),
  };
}

/** RFB ServerInit for a state: size, pixel format, name (UTF-8, as noVNC reads it). */
export function encodeServerInit(state: ScreenState): Uint8Array {
  const name = new TextEncoder().encode(state.name);
  const out = new Uint8Array(24 + name.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, state.width);
  view.setUint16(2, state.height);
  out.set(state.pixelFormat, 4);
  view.setUint32(20, name.length);
  out.set(name, 24);
  return out;
}

export const isState = (r: PlayerRecord): boolean => r.type === PLAYER_RECORD.State;
export const isServer = (r: PlayerRecord): boolean => r.type === PLAYER_RECORD.Server;
