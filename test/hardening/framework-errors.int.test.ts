// Requests refused by Fastify or Node's parser before any route runs (issue 14, finding 10): a
// malformed URL, an over-long path parameter, a body of the wrong type, size or framing. Every one
// answers in the error envelope with a 4xx and a request id, never Fastify's own JSON.
import { ErrorEnvelope } from '@common/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { TEST_DIALECT } from '../helpers/db';
import { type RawHttpResponse, rawHttp } from './raw-http';

let t: TestApp;
let host: string;

beforeAll(async () => {
  t = await startTestApp();
  host = new URL(t.url).host;
});
afterAll(async () => t?.close());

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n\r\n`;
const post = (path: string, headers: string[], body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;

const CASES: { name: string; request: string; status: number; code: string }[] = [
  { name: 'bad percent-encoding in the path', request: get('/api/%zz'), status: 400, code: 'http.bad_request' },
  {
    name: 'bad percent-encoding in a path parameter',
    request: get('/api/tenants/%E0%A4%A/servers'),
    status: 400,
    code: 'http.bad_request',
  },
  {
    name: 'a path parameter over the router limit',
    request: get(`/api/tenants/${'a'.repeat(600)}/servers`),
    status: 414,
    code: 'http.uri_too_long',
  },
  {
    name: 'an unsupported Content-Type',
    request: post('/api/auth/login', ['Content-Type: application/xml', 'Content-Length: 7'], '<a></a>'),
    status: 415,
    code: 'http.unsupported_media_type',
  },
  {
    name: 'a Content-Type that does not parse',
    request: post('/api/auth/login', ['Content-Type: /', 'Content-Length: 2'], '{}'),
    status: 415,
    code: 'http.unsupported_media_type',
  },
  {
    name: 'invalid JSON',
    request: post('/api/auth/login', ['Content-Type: application/json', 'Content-Length: 9'], '{"email":'),
    status: 400,
    code: 'http.bad_request',
  },
  {
    name: 'an empty JSON body',
    request: post('/api/auth/login', ['Content-Type: application/json', 'Content-Length: 0'], ''),
    status: 400,
    code: 'http.bad_request',
  },
  {
    name: 'a body over the limit',
    request: post(
      '/api/auth/login',
      ['Content-Type: application/json', `Content-Length: ${2 * 1024 * 1024}`],
      'x'.repeat(1024),
    ),
    status: 413,
    code: 'http.payload_too_large',
  },
  {
    name: 'a Content-Length that is not a number',
    request: post('/api/auth/login', ['Content-Type: application/json', 'Content-Length: abc'], '{}'),
    status: 400,
    code: 'http.bad_request',
  },
  {
    name: 'two different Content-Lengths',
    request: post(
      '/api/auth/login',
      ['Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 3'],
      '{}',
    ),
    status: 400,
    code: 'http.bad_request',
  },
  {
    name: 'a request line that is not HTTP',
    request: 'BREW /pot HTCPCP/1.0\r\nHost: HOST\r\n\r\n',
    status: 400,
    code: 'http.bad_request',
  },
];

function expectEnvelope(res: RawHttpResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = ErrorEnvelope.parse(JSON.parse(res.body));
  expect(body.error.code).toBe(code);
  // Nothing of Fastify's own error shape, nor the request echoed back.
  expect(res.body).not.toMatch(/FST_|statusCode|%zz|aaaaaaaaaa/);
}

describe(`framework errors answer in the envelope (${TEST_DIALECT})`, () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const res = await rawHttp(t.url, c.request.replace('HOST', host));
      expectEnvelope(res, c.status, c.code);
    });
  }

  it('a malformed URL carries the request id in the header too', async () => {
    const res = await rawHttp(t.url, get('/api/%zz').replace('HOST', host));
    expectEnvelope(res, 400, 'http.bad_request');
    expect(res.headers['x-request-id']).toBe(JSON.parse(res.body).requestId);
  });

  it('the server keeps serving afterwards', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
