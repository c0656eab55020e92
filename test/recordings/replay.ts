// Test side of recordings: the player's stream parsed into records, and a replay of a graphical
// recording into the RFB test client (the same decoder the live test browser uses), so a test can
// compare the replayed picture with what the live browser saw.
import { Duplex } from 'node:stream';
import { encodeProtocolVersion, encodeServerInit } from '@common/rfb/rfb-handshake';
import { ServerStreamScanner } from '@common/rfb/server-stream';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import { decodeState, RecordType, records } from '../../server/src/modules/recordings/recording-format';
import type { ApiClient } from '../helpers/client';

export interface PlayerRecord {
  type: number;
  atMs: number;
  payload: Buffer;
}

/** The player's stream is the file's records (recording-format.ts reads both). */
export function parseRecords(data: Buffer): PlayerRecord[] {
  return [...records(data)];
}

/** GET …/data as bytes (the test ApiClient reads text). */
export async function fetchData(
  baseUrl: string,
  api: ApiClient,
  path: string,
): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const res = await fetch(baseUrl + path, { headers: api.cookie ? { cookie: api.cookie } : {} });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** Plays the records (which must start with a State) into a fresh RFB client; resolves once
 * every framebuffer update in them was decoded. */
export async function replay(records: PlayerRecord[]): Promise<RfbTestClient> {
  const first = records[0];
  if (!first || first.type !== RecordType.State) throw new Error('a replay starts at a state record');
  const state = decodeState(first.payload);
  const server = Buffer.concat(records.filter((r) => r.type === RecordType.Server).map((r) => r.payload));
  let updates = 0;
  const scanner = new ServerStreamScanner(state);
  scanner.push(server, (_end, m) => {
    if (m.type === 0) updates++;
  });
  const stream = new Duplex({
    read() {},
    write(_chunk, _enc, done) {
      done();
    },
  });
  stream.push(
    Buffer.concat([
      encodeProtocolVersion(),
      Uint8Array.of(1, 1), // one security type: None
      Uint8Array.of(0, 0, 0, 0), // SecurityResult OK
      encodeServerInit(state),
      server,
    ]),
  );
  const client = await RfbTestClient.connect(stream, { timeoutMs: 8000 });
  await client.waitFor((c) => c.updates >= updates, 8000, `${updates} replayed updates`);
  return client;
}
