// websocketHandshakeProblem against the oracle it stands in for: ws's own handleUpgrade, fed the
// same headers on a fake socket. Whatever one refuses, the other must refuse too.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { websocketHandshakeProblem } from './websocket-handshake';

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (protocols: Set<string>) => (protocols.has('binary') ? 'binary' : false),
});

/** What ws answers: the status of its response line. */
function wsStatus(headers: IncomingHttpHeaders): number {
  let written = '';
  const socket = new Duplex({
    read() {},
    write(chunk, _enc, cb) {
      written += chunk.toString('latin1');
      cb();
    },
  });
  Object.assign(socket, { setTimeout() {}, setNoDelay() {} });
  const req = { method: 'GET', headers, socket } as unknown as IncomingMessage;
  let upgraded = false;
  wss.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => {
    upgraded = true;
    ws.terminate();
  });
  socket.destroy();
  if (upgraded) return 101;
  return Number(/^HTTP\/1\.1 (\d+)/.exec(written)?.[1] ?? 0);
}

const good = (): IncomingHttpHeaders => ({
  upgrade: 'websocket',
  connection: 'Upgrade',
  'sec-websocket-key': randomBytes(16).toString('base64'),
  'sec-websocket-version': '13',
  'sec-websocket-protocol': 'binary',
});

describe('websocketHandshakeProblem', () => {
  it('accepts what browsers send', () => {
    expect(websocketHandshakeProblem(good())).toBeNull();
    expect(wsStatus(good())).toBe(101);
    expect(websocketHandshakeProblem({ ...good(), 'sec-websocket-protocol': 'base64, binary' })).toBeNull();
    expect(websocketHandshakeProblem({ ...good(), 'sec-websocket-extensions': ';;garbage=' })).toBeNull();
    expect(websocketHandshakeProblem({ ...good(), upgrade: 'WebSocket' })).toBeNull();
  });

  const cases: [string, IncomingHttpHeaders][] = [
    ['no Upgrade', { ...good(), upgrade: undefined }],
    ['Upgrade: h2c', { ...good(), upgrade: 'h2c' }],
    ['no key', { ...good(), 'sec-websocket-key': undefined }],
    ['short key', { ...good(), 'sec-websocket-key': 'AAAA' }],
    ['key not base64', { ...good(), 'sec-websocket-key': `${'*'.repeat(22)}==` }],
    ['version 12', { ...good(), 'sec-websocket-version': '12' }],
    ['version empty', { ...good(), 'sec-websocket-version': '' }],
    ['version list', { ...good(), 'sec-websocket-version': '13, 8' }],
    ['protocol with a blank inside', { ...good(), 'sec-websocket-protocol': 'binary, bin ary' }],
    ['protocol duplicated', { ...good(), 'sec-websocket-protocol': 'binary, binary' }],
    ['protocol empty element', { ...good(), 'sec-websocket-protocol': 'binary,,x' }],
    ['protocol trailing comma', { ...good(), 'sec-websocket-protocol': 'binary,' }],
    ['protocol with quotes', { ...good(), 'sec-websocket-protocol': '"binary"' }],
  ];
  for (const [name, headers] of cases) {
    it(`refuses ${name}, as ws does`, () => {
      expect(websocketHandshakeProblem(headers)).not.toBeNull();
      expect(wsStatus(headers)).toBe(400);
    });
  }

  it('agrees with ws on generated headers', () => {
    const chars = fc.constantFrom(...'binary64 ,\t;="\'!#*-.~|^_`'.split(''));
    const text = fc.array(chars, { maxLength: 24 }).map((a) => a.join(''));
    const header = fc.oneof(fc.constant(undefined), text);
    const keys = fc.oneof(
      fc.constant(randomBytes(16).toString('base64')),
      fc.uint8Array({ minLength: 0, maxLength: 20 }).map((b) => Buffer.from(b).toString('base64')),
      text,
    );
    fc.assert(
      fc.property(
        fc.record({
          upgrade: fc.oneof(fc.constant('websocket'), fc.constant('WEBSOCKET'), header),
          'sec-websocket-key': fc.oneof(keys, fc.constant(undefined)),
          'sec-websocket-version': fc.oneof(fc.constantFrom('13', '8', '7', '', '13 ', '0x0d'), header),
          'sec-websocket-protocol': fc.oneof(fc.constantFrom('binary', 'a, b', 'a ,b', 'a,\tb'), header),
        }),
        (h) => {
          const headers = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined));
          expect(websocketHandshakeProblem(headers) === null).toBe(wsStatus(headers) === 101);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
