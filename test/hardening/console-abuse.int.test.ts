// WebSocket and RFB abuse from the browser side (issue 10): garbage and truncated RFB in
// interactive and view-only sessions, unknown messages, huge clipboard lengths, oversized,
// fragmented, unmasked and otherwise broken frames, thousands of headers and bad Sec-WebSocket-*
// values on the upgrade. Every case closes cleanly (or is refused before any 101), Nexus keeps
// serving, and nothing leaks: after each case the console is closed in console_sessions, no
// console is live (map and gauge), the console module's timers are done, and the sockets of
// Nexus and pve-sim are back to their baseline. The "browser" is a hand-written WebSocket client
// on a raw TCP socket (raw-ws-client.ts). NEXUS_ABUSE_RUNS sets the generated cases per property.

import { connect as tcpConnect } from 'node:net';
import { Encoding } from '@common/rfb/rfb-messages';
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import {
  type ConsoleEnv,
  member,
  openConsole,
  requestTicket,
  startConsoleEnv,
  waitUntil,
} from '../consoles/console-kit';
import type { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import type { TestUser } from '../helpers/factories';
import { activeConsolesGauge, type Baseline, baseline, expectClean, TimerTracker } from './leak-kit';
import { type HeaderList, type RawWs, rawRequest, upgradeHeaders } from './raw-ws-client';

const RUNS = Number(process.env.NEXUS_ABUSE_RUNS ?? 6);
/** The server's maxPayload (server/src/app.ts): a 1 MiB clipboard paste and its header fit. */
const MAX_PAYLOAD = 1024 * 1024 + 64;
const HANDSHAKE_TIMEOUT_MS = 1500;

let env: ConsoleEnv;
let viewer: TestUser;
let base: Baseline;
let caseStart = 0;
const timers = new TimerTracker('/modules/consoles/');

const SCENARIO = {
  seed: 3,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [{ vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'target', status: 'running' as const }],
    },
  ],
};

const recorder = () => {
  const r = env.simServer.guest(100)?.recorder;
  if (!r) throw new Error('no guest 100');
  return r;
};

beforeAll(async () => {
  env = await startConsoleEnv({ sim: { scenario: SCENARIO as never } });
  const consoles = env.t.nexus.services.consoles;
  consoles.tuning.relay = { closeGraceMs: 100, handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS };
  // Refused upgrades leave unused tickets; they should stop holding slots soon.
  consoles.tuning.ticketTtlMs = 5_000;
  // A browser that vanishes leaves its console waiting for a re-attach (test/consoles/reattach):
  // briefly here, so each case ends clean soon.
  consoles.tuning.reattachWindowMs = 300;
  await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { maxConcurrentConsoles: 10_000 });
  viewer = await member(env, 'viewer');
  timers.install();
  // Warm up (connections, caches), then take the baseline everything must come back to.
  for (const api of [env.admin.client, viewer.client]) {
    const { rfb, socket } = await openConsole(env, api, 100);
    await rfb.update(false);
    rfb.close();
    await socket.closed;
  }
  await waitUntil(() => consoles.liveCount === 0, 5000, 'warm-up consoles closed');
  await new Promise((r) => setTimeout(r, 400));
  await fetch(`${env.t.url}/healthz`);
  await fetch(`${env.t.url}/metrics`);
  base = baseline(env);
});

afterAll(async () => {
  timers.uninstall();
  await env?.close();
});

beforeEach(() => {
  caseStart = Date.now();
});

type Mode = 'interactive' | 'view-only';
const clientOf = (mode: Mode): ApiClient => (mode === 'interactive' ? env.admin.client : viewer.client);

/** A ticket and the upgrade request a browser sends for it, with `edit` applied to the headers. */
async function upgrade(mode: Mode, edit: (h: HeaderList) => HeaderList = (h) => h) {
  const api = clientOf(mode);
  const res = await requestTicket(env, api, 100);
  expect(res.status, res.text).toBe(201);
  const wsPath = String(res.body.wsPath);
  const host = new URL(env.t.url).host;
  const headers = edit(
    upgradeHeaders(host, [
      ['Origin', env.t.origin],
      ['Cookie', api.cookie ?? ''],
      ['Sec-WebSocket-Protocol', 'binary'],
    ]),
  );
  return { wsPath, response: await rawRequest(env.t.url, wsPath, headers) };
}

/** An upgraded console socket, before any RFB. */
async function connect(mode: Mode): Promise<RawWs> {
  const { response } = await upgrade(mode);
  expect(response.status).toBe(101);
  expect(response.headers['sec-websocket-protocol']).toBe('binary');
  return response.ws as RawWs;
}

/** A console through the RFB handshake (security None, ServerInit), ready for messages. */
async function established(mode: Mode): Promise<{ ws: RawWs; rfb: RfbTestClient }> {
  const ws = await connect(mode);
  const rfb = await RfbTestClient.connect(ws.stream(), { timeoutMs: 5000 });
  expect(rfb.desktopName).toBe('target');
  await rfb.update(false);
  ws.messages.length = 0;
  return { ws, rfb };
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
  ]);
}

const closedWithin = (ws: RawWs, ms = 3000) => within(ws.closed, ms, 'the console to close');

async function stillOpen(ws: RawWs, ms = 250): Promise<void> {
  const outcome = await Promise.race([ws.closed, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
  expect(outcome).toBeNull();
}

/** The newest console row of this case. */
async function lastRow() {
  return env.t.database.db
    .selectFrom('console_sessions')
    .selectAll()
    .where('created_at', '>=', caseStart)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

const clean = () => expectClean(env, base, timers, caseStart);

/** nexus_console_relay_bytes_total, both directions. */
async function relayedBytes(): Promise<number> {
  const text = await (await fetch(`${env.t.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('nexus_console_relay_bytes_total{'))
    .reduce((n, l) => n + Number(l.split(' ')[1]), 0);
}

const msg = {
  key: (down: boolean, keysym = 0x61) => Buffer.from([4, down ? 1 : 0, 0, 0, 0, 0, keysym >> 8, keysym & 0xff]),
  pointer: (x: number, y: number, mask = 1) => Buffer.from([5, mask, x >> 8, x & 0xff, y >> 8, y & 0xff]),
  update: (incremental: boolean) => Buffer.from([3, incremental ? 1 : 0, 0, 0, 0, 0, 0, 100, 0, 100]),
  cutText(text: Buffer | string, declared?: number) {
    const body = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
    const head = Buffer.alloc(8);
    head[0] = 6;
    head.writeInt32BE(declared ?? body.length, 4);
    return Buffer.concat([head, body]);
  },
};

const MODES: Mode[] = ['interactive', 'view-only'];

describe(`console abuse (${TEST_DIALECT})`, () => {
  describe.each(MODES)('garbage RFB from the browser, %s', (mode) => {
    it('random bytes instead of the RFB handshake close the console with 1002', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 12, maxLength: 512 }), async (garbage) => {
          caseStart = Date.now();
          fc.pre(!Buffer.from(garbage).subarray(0, 4).equals(Buffer.from('RFB ')));
          const ws = await connect(mode);
          ws.binary(garbage);
          const closed = await closedWithin(ws);
          expect(closed.code).toBe(CONSOLE_CLOSE.protocolError);
          expect(closed.reason).toMatch(/^invalid RFB handshake|RFB 3\.8 is required/);
          await clean();
        }),
        { numRuns: RUNS },
      );
    });

    it('a valid handshake, then random bytes: closed with 1002 or still sane, never input in view-only', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uint8Array({ minLength: 1, maxLength: 2048 }), { minLength: 1, maxLength: 4 }),
          async (frames) => {
            caseStart = Date.now();
            recorder().clear();
            const { ws, rfb } = await established(mode);
            for (const f of frames) ws.binary(f);
            const outcome = await Promise.race([ws.closed, new Promise<null>((r) => setTimeout(() => r(null), 300))]);
            if (outcome) {
              expect(outcome.code).toBe(CONSOLE_CLOSE.protocolError);
              expect(outcome.reason).toMatch(/^invalid RFB message/);
            } else {
              // The garbage parsed as messages or as the start of one: the browser may go on.
              ws.close();
              expect((await closedWithin(ws)).code).toBe(1000);
            }
            rfb.close();
            if (mode === 'view-only') {
              expect(recorder().keyEvents).toEqual([]);
              expect(recorder().pointerEvents).toEqual([]);
              expect(recorder().clientCutText).toEqual([]);
            }
            await clean();
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('valid frames, then one with garbage after valid messages: that frame is refused whole', async () => {
      recorder().clear();
      const { ws, rfb } = await established(mode);
      ws.binary(Buffer.concat([msg.key(true, 0x62), msg.key(false, 0x62)]));
      await rfb.update(false); // the keys are through
      ws.binary(Buffer.concat([msg.key(true, 0x63), msg.key(false, 0x63), Buffer.from([7, 1, 2, 3, 4, 5])]));
      const closed = await closedWithin(ws);
      expect(closed).toEqual({
        code: CONSOLE_CLOSE.protocolError,
        reason: 'invalid RFB message: unknown client message type 7',
      });
      if (mode === 'interactive') expect(recorder().keyEvents.map((k) => k.keysym)).toEqual([0x62, 0x62]);
      else expect(recorder().keyEvents).toEqual([]);
      await clean();
    });

    it.each([1, 7, 8, 100, 149, 200, 249, 252, 254])('unknown message type %i closes with 1002', async (type) => {
      const { ws } = await established(mode);
      ws.binary(Buffer.from([type, 0, 0, 0, 0, 0, 0, 0]));
      expect(await closedWithin(ws)).toEqual({
        code: CONSOLE_CLOSE.protocolError,
        reason: `invalid RFB message: unknown client message type ${type}`,
      });
      await clean();
      expect((await lastRow())?.close_reason).toBe(`invalid RFB message: unknown client message type ${type}`);
    });

    it.each([
      ['one past the 1 MiB limit', 1024 * 1024 + 1],
      ['2 GiB', 0x7fffffff],
      ['the most negative (extended) length', -0x80000000],
      ['an extended length without flags', -2],
    ])('a ClientCutText declaring %s closes at once, without buffering', async (_name, declared) => {
      const { ws } = await established(mode);
      ws.binary(msg.cutText('x', declared));
      const closed = await closedWithin(ws, 1000);
      expect(closed.code).toBe(CONSOLE_CLOSE.protocolError);
      expect(closed.reason).toMatch(/^invalid RFB message: (ClientCutText of \d+ bytes|extended ClientCutText)/);
      await clean();
    });

    it('a full 1 MiB ClientCutText fits (split for Proxmox); view-only drops it', async () => {
      recorder().clear();
      const { ws, rfb } = await established(mode);
      const text = Buffer.alloc(1024 * 1024, 'p');
      ws.binary(msg.cutText(text));
      await rfb.update(false); // the relay and pve-sim are past it
      if (mode === 'interactive') {
        await recorder().waitFor((r) => r.clientCutText.some((t) => t.length === text.length));
      } else {
        expect(recorder().clientCutText).toEqual([]);
      }
      rfb.close();
      await closedWithin(ws);
      await clean();
    });

    it.each([
      ['a KeyEvent', msg.key(true).subarray(0, 3)],
      ['a PointerEvent', msg.pointer(5, 5).subarray(0, 4)],
      ['a ClientCutText header', msg.cutText('abcdef').subarray(0, 5)],
      ['a ClientCutText body (1000 declared, 10 sent)', msg.cutText('0123456789', 1000)],
      ['a SetEncodings list', Buffer.from([2, 0, 0, 5, 0, 0, 0, 0])],
      ['a FramebufferUpdateRequest', msg.update(true).subarray(0, 6)],
    ])(
      '%s cut off mid-way, then silence: the console waits, nothing reaches the guest, the close is clean',
      async (_name, part) => {
        recorder().clear();
        const { ws } = await established(mode);
        ws.binary(part);
        await stillOpen(ws, 400);
        expect(recorder().keyEvents).toEqual([]);
        expect(recorder().pointerEvents).toEqual([]);
        expect(recorder().clientCutText).toEqual([]);
        ws.close(1000, 'bye');
        expect((await closedWithin(ws)).code).toBe(1000);
        await clean();
        expect((await lastRow())?.close_reason).toBe('closed by the browser');
      },
    );

    it('a message cut off mid-way, then the browser vanishes (TCP reset)', async () => {
      const { ws } = await established(mode);
      ws.binary(msg.cutText('0123456789', 5000));
      ws.raw(ws.frame(2, Buffer.alloc(4000, 1)).subarray(0, 1000)); // half a frame too
      ws.destroy();
      await clean();
      // No close frame: the console waited for a re-attach that never came.
      expect((await lastRow())?.close_reason).toBe('browser connection lost');
    });

    it('the RFB handshake cut off mid-way, then silence: 4009 after the handshake timeout', async () => {
      const ws = await connect(mode);
      ws.binary(Buffer.from('RFB 003'));
      const started = Date.now();
      const closed = await closedWithin(ws, HANDSHAKE_TIMEOUT_MS + 3000);
      expect(closed.code).toBe(CONSOLE_CLOSE.handshakeTimeout);
      expect(closed.reason).toMatch(/^console did not start in time/);
      expect(Date.now() - started).toBeLessThan(HANDSHAKE_TIMEOUT_MS + 1000);
      await clean();
    });

    it('a flood while Proxmox is still in its handshake is cut off at 64 KiB', async () => {
      env.simServer.setFault({ latencyMs: 800 });
      try {
        const ws = await connect(mode);
        await ws.read(12);
        ws.binary(Buffer.from('RFB 003.008\n'));
        await ws.read(2); // security types: [1] None
        ws.binary(Buffer.from([1])); // None; Nexus now waits for Proxmox
        for (let i = 0; i < 20; i++) ws.binary(Buffer.alloc(16 * 1024, 4));
        expect(await closedWithin(ws)).toEqual({
          code: CONSOLE_CLOSE.protocolError,
          reason: 'too much data before the console opened',
        });
      } finally {
        env.simServer.clearFaults();
      }
      await clean();
    });
  });

  describe.each(MODES)('broken WebSocket frames, %s', (mode) => {
    it('a frame over the 1 MiB limit closes with 1009', async () => {
      const { ws } = await established(mode);
      ws.binary(Buffer.alloc(MAX_PAYLOAD + 1, 3));
      const closed = await closedWithin(ws);
      expect(closed.code).toBe(1009);
      await waitUntil(async () => (await lastRow())?.close_reason === 'browser frame too large', 3000, 'the row');
      await clean();
    });

    it('a frame header declaring 1 TiB closes with 1009 before any payload', async () => {
      const { ws } = await established(mode);
      const header = Buffer.from([0x82, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
      ws.raw(header);
      expect((await closedWithin(ws)).code).toBe(1009);
      await clean();
    });

    it('fragments over the limit in all close with 1009', async () => {
      const { ws } = await established(mode);
      const piece = Buffer.alloc(512 * 1024, 6);
      ws.send(2, piece, { fin: false });
      ws.send(0, piece, { fin: false });
      ws.send(0, piece, { fin: true });
      expect((await closedWithin(ws)).code).toBe(1009);
      await clean();
    });

    it('a fragmented message with a ping between the fragments is one RFB message (300 KiB paste)', async () => {
      recorder().clear();
      const { ws, rfb } = await established(mode);
      const text = Buffer.alloc(300 * 1024, 'f');
      const whole = msg.cutText(text);
      ws.send(2, whole.subarray(0, 5), { fin: false }); // even the RFB header is split
      ws.send(9, Buffer.from('ping'));
      ws.send(0, whole.subarray(5, 200_000), { fin: false });
      ws.send(0, whole.subarray(200_000), { fin: true });
      await rfb.update(false);
      if (mode === 'interactive') {
        // pve-sim drops a connection on any frame over 128 KiB: the relay split it.
        await recorder().waitFor((r) => r.clientCutText.some((t) => t.length === text.length));
      } else {
        expect(recorder().clientCutText).toEqual([]);
      }
      await stillOpen(ws, 100);
      rfb.close();
      await closedWithin(ws);
      await clean();
    });

    it.each<[string, (ws: RawWs) => void, number]>([
      ['an unmasked frame', (ws) => ws.send(2, msg.update(true), { mask: false }), 1002],
      ['a continuation frame with nothing to continue', (ws) => ws.send(0, msg.update(true)), 1002],
      [
        'a new message inside a fragmented one',
        (ws) => {
          ws.send(2, Buffer.from([3]), { fin: false });
          ws.send(2, msg.update(true));
        },
        1002,
      ],
      ['a fragmented ping', (ws) => ws.send(9, Buffer.from('x'), { fin: false }), 1002],
      ['a ping over 125 bytes', (ws) => ws.send(9, Buffer.alloc(126)), 1002],
      ['reserved opcode 3', (ws) => ws.send(3, msg.update(true)), 1002],
      ['reserved opcode 11', (ws) => ws.send(11, Buffer.alloc(0)), 1002],
      ['RSV1 without an extension', (ws) => ws.send(2, msg.update(true), { rsv: 4 }), 1002],
      ['a close frame with code 1005', (ws) => ws.send(8, Buffer.from([0x03, 0xed])), 1002],
      ['a close frame with code 999', (ws) => ws.send(8, Buffer.from([0x03, 0xe7])), 1002],
      ['a close frame of one byte', (ws) => ws.send(8, Buffer.from([0x03])), 1002],
      ['a close reason that is not UTF-8', (ws) => ws.send(8, Buffer.from([0x03, 0xe8, 0xff, 0xfe])), 1007],
    ])('%s closes with the matching code', async (_name, act, code) => {
      recorder().clear();
      const { ws } = await established(mode);
      act(ws);
      expect((await closedWithin(ws)).code).toBe(code);
      // What the broken frame carried never reached Proxmox.
      expect(recorder().messages.filter((m) => m.message.type === 'FramebufferUpdateRequest').length).toBeLessThan(3);
      await clean();
    });

    it('a text frame closes with 1002 "text frames are not RFB"', async () => {
      const { ws } = await established(mode);
      ws.send(1, Buffer.from('hello'));
      expect(await closedWithin(ws)).toEqual({ code: 1002, reason: 'text frames are not RFB' });
      await clean();
    });

    it('a proper close from the browser is answered with 1000', async () => {
      const { ws } = await established(mode);
      ws.close(1000, 'done');
      expect((await closedWithin(ws)).code).toBe(1000);
      await clean();
    });

    it('a pile of random frames (random opcodes, flags, masks, lengths) always ends cleanly', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              opcode: fc.integer({ min: 0, max: 15 }),
              fin: fc.boolean(),
              mask: fc.boolean(),
              rsv: fc.integer({ min: 0, max: 7 }),
              payload: fc.uint8Array({ maxLength: 300 }),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          async (frames) => {
            caseStart = Date.now();
            recorder().clear();
            const { ws } = await established(mode);
            for (const f of frames) ws.send(f.opcode, f.payload, f);
            const outcome = await Promise.race([ws.closed, new Promise<null>((r) => setTimeout(() => r(null), 300))]);
            if (outcome) expect([1000, 1002, 1007, 1009, 1006]).toContain(outcome.code);
            else ws.destroy();
            if (mode === 'view-only') {
              expect(recorder().keyEvents).toEqual([]);
              expect(recorder().pointerEvents).toEqual([]);
            }
            await clean();
          },
        ),
        { numRuns: RUNS },
      );
    });
  });

  describe('the upgrade request', () => {
    async function refused(
      edit: (h: HeaderList) => HeaderList,
      status: number,
      mode: Mode = 'interactive',
    ): Promise<string> {
      const { wsPath, response } = await upgrade(mode, edit);
      expect(response.status).toBe(status);
      expect(response.ws).toBeUndefined();
      return wsPath;
    }

    /** The ticket was not spent by the refusal: a proper upgrade still opens the console. */
    async function ticketStillWorks(wsPath: string, mode: Mode = 'interactive'): Promise<void> {
      const api = clientOf(mode);
      const host = new URL(env.t.url).host;
      const res = await rawRequest(
        env.t.url,
        wsPath,
        upgradeHeaders(host, [
          ['Origin', env.t.origin],
          ['Cookie', api.cookie ?? ''],
          ['Sec-WebSocket-Protocol', 'binary'],
        ]),
      );
      expect(res.status).toBe(101);
      const ws = res.ws as RawWs;
      const rfb = await RfbTestClient.connect(ws.stream());
      expect(rfb.desktopName).toBe('target');
      rfb.close();
      await closedWithin(ws);
    }

    it('thousands of headers over the size limit: 431 before any 101, the ticket unspent', async () => {
      const pad: HeaderList = Array.from({ length: 3000 }, (_, i) => [`X-Pad-${i}`, 'v']);
      const wsPath = await refused((h) => [...h, ...pad], 431);
      await ticketStillWorks(wsPath);
      await clean();
    });

    it('one header of 64 KiB: 431', async () => {
      const wsPath = await refused((h) => [...h, ['X-Big', 'b'.repeat(64 * 1024)]], 431);
      await ticketStillWorks(wsPath);
      await clean();
    });

    it('1,500 small headers within the limits: the console opens and closes normally', async () => {
      const pad: HeaderList = Array.from({ length: 1500 }, (_, i) => [`x${i}`, '1']);
      const { response } = await upgrade('interactive', (h) => [...h, ...pad]);
      expect(response.status).toBe(101);
      const ws = response.ws as RawWs;
      const rfb = await RfbTestClient.connect(ws.stream());
      rfb.close();
      await closedWithin(ws);
      await clean();
    });

    const set =
      (name: string, value: string | null) =>
      (h: HeaderList): HeaderList => {
        const rest = h.filter(([k]) => k.toLowerCase() !== name.toLowerCase());
        return value === null ? rest : [...rest, [name, value]];
      };

    it.each<[string, (h: HeaderList) => HeaderList]>([
      ['Sec-WebSocket-Version 12', set('Sec-WebSocket-Version', '12')],
      ['Sec-WebSocket-Version empty', set('Sec-WebSocket-Version', '')],
      ['Sec-WebSocket-Version "13, 8"', set('Sec-WebSocket-Version', '13, 8')],
      ['no Sec-WebSocket-Version', set('Sec-WebSocket-Version', null)],
      ['no Sec-WebSocket-Key', set('Sec-WebSocket-Key', null)],
      ['a short Sec-WebSocket-Key', set('Sec-WebSocket-Key', 'c2hvcnQ=')],
      ['a Sec-WebSocket-Key that is not base64', set('Sec-WebSocket-Key', `${'*'.repeat(22)}==`)],
      ['two Sec-WebSocket-Key headers', (h) => [...h, ['Sec-WebSocket-Key', 'AAAAAAAAAAAAAAAAAAAAAA==']]],
      ['Sec-WebSocket-Protocol "binary, bin ary"', set('Sec-WebSocket-Protocol', 'binary, bin ary')],
      ['Sec-WebSocket-Protocol "binary, binary"', set('Sec-WebSocket-Protocol', 'binary, binary')],
      ['Sec-WebSocket-Protocol "binary,"', set('Sec-WebSocket-Protocol', 'binary,')],
      ['Sec-WebSocket-Protocol "base64"', set('Sec-WebSocket-Protocol', 'base64')],
      ['Upgrade: websocketx', set('Upgrade', 'websocketx')],
    ])('%s: 400 before any 101, the ticket unspent', async (_name, edit) => {
      for (const mode of MODES) {
        const wsPath = await refused(edit, 400, mode);
        await ticketStillWorks(wsPath, mode);
      }
      await clean();
    });

    it.each([
      'permessage-deflate; client_max_window_bits=abc',
      'permessage-deflate; server_no_context_takeover; server_no_context_takeover',
      ';;;=,',
      'x-webkit-deflate-frame',
    ])('Sec-WebSocket-Extensions "%s" is ignored: no extension negotiated, the console works', async (value) => {
      const { response } = await upgrade('interactive', (h) => [...h, ['Sec-WebSocket-Extensions', value]]);
      expect(response.status).toBe(101);
      expect(response.headers['sec-websocket-extensions']).toBeUndefined();
      const ws = response.ws as RawWs;
      const rfb = await RfbTestClient.connect(ws.stream());
      await rfb.update(false);
      rfb.close();
      await closedWithin(ws);
      await clean();
    });

    it('a browser that hangs up while its ticket is being claimed leaves no console open', async () => {
      // The claim (database, policy) is made slow, so the hang-up lands between the claim and the
      // 101: ws then has nothing to upgrade and no handler runs.
      const consoles = env.t.nexus.services.consoles;
      const claim = consoles.claim.bind(consoles);
      consoles.claim = async (...args) => {
        const claimed = await claim(...args);
        await new Promise((r) => setTimeout(r, 150));
        return claimed;
      };
      try {
        for (let i = 0; i < 3; i++) {
          const res = await requestTicket(env, env.admin.client, 100);
          const { hostname, port } = new URL(env.t.url);
          const socket = tcpConnect(Number(port), hostname);
          socket.on('error', () => {});
          await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
          const headers = upgradeHeaders(`${hostname}:${port}`, [
            ['Origin', env.t.origin],
            ['Cookie', env.admin.client.cookie ?? ''],
            ['Sec-WebSocket-Protocol', 'binary'],
          ]);
          socket.write(`GET ${res.body.wsPath} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
          await new Promise((r) => setTimeout(r, 50));
          socket.destroy();
        }
        await clean();
      } finally {
        consoles.claim = claim;
      }
      const rows = await env.t.database.db
        .selectFrom('console_sessions')
        .select(['consumed_at', 'closed_at', 'close_reason'])
        .where('created_at', '>=', caseStart)
        .execute();
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.consumed_at).not.toBeNull();
        expect(row.close_reason).toBe('connection lost before the console opened');
      }
    });
  });

  it('keeps serving consoles after all of it', async () => {
    const { rfb, socket } = await openConsole(env, env.admin.client, 100, {
      encodings: [Encoding.Raw, Encoding.DesktopName],
    });
    expect(rfb.desktopName).toBe('target');
    await rfb.update(false);
    // The gauge and the byte counter follow live consoles (both were never fed before).
    expect(await activeConsolesGauge(env)).toBe(1);
    const bytesBefore = await relayedBytes();
    rfb.close();
    await socket.closed;
    await clean();
    expect(await relayedBytes()).toBeGreaterThan(bytesBefore + 400 * 300);
  });
});
