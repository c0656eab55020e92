// The one HTTP/WebSocket client for Proxmox VE (see index.ts for the contract). One TLS
// connection per call (no pooling): a certificate swapped on the server is seen by the next call.
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { TargetRules } from '@common/egress';
import WebSocket from 'ws';
import type { z } from 'zod';
import { AppError } from '../lib/app-error';
import { startDeadline } from '../lib/deadline';
import { type ProxmoxErrorCode, proxmoxError, statusError, transportError } from './proxmox-errors';
import { checkApiPath, encodeParams, type PveParams } from './pve-encode';
import {
  type CertificateInfo,
  connectVerified,
  type EgressGuard,
  hostLabel,
  probeCertificate,
  type Resolver,
  systemResolver,
  type TlsPolicy,
} from './tls-connect';

export const API_BASE = '/api2/json';
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** Proxmox's answers nest a handful of levels; far deeper JSON parses fine but overflows the
 * stack of whatever recurses over it later (JSON.stringify when the explorer answers). */
export const MAX_JSON_DEPTH = 64;

/** Whether arrays and objects in this JSON text nest deeper than `limit` (strings skipped). */
export function jsonNestsDeeper(body: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Everything needed to talk to one registered server; built by the servers module. */
export interface ProxmoxTarget {
  tenantId: string;
  serverId: string;
  /** The address dialed: the server's host, or its Tailscale hostname. */
  host: string;
  port: number;
  /** `USER@REALM!TOKENID` */
  tokenId: string;
  tokenSecret: string;
  tls: TlsPolicy;
  /** Default deadline of each call. */
  timeoutMs: number;
  /** The tenant's narrowing of the operator's egress policy (null: none). */
  allowedTargets?: TargetRules | null;
}

export interface CallOptions<T> {
  /** Deadline of this call (connect + answer + body), default the server's timeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Validates `data`; a mismatch is `proxmox.bad_response`. */
  schema?: z.ZodType<T>;
  /** Report this call as an `api` connection metric (default true). */
  metric?: boolean;
}

export interface ProxmoxResponse<T> {
  data: T;
  status: number;
  elapsedMs: number;
  /** SHA-256 of the certificate the server presented. */
  peerFingerprint: string | null;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Emitted after every call and WebSocket open, for metrics and the pin-mismatch alarm. */
export interface ProxmoxCallEvent {
  tenantId: string;
  serverId: string;
  method: HttpMethod | 'WEBSOCKET';
  /** Path without query (never contains parameters, which may hold tickets). */
  path: string;
  ok: boolean;
  status: number | null;
  elapsedMs: number;
  errorCode: ProxmoxErrorCode | 'server.target_refused' | null;
  errorMessage: string | null;
  metric: boolean;
  /** Set when the certificate did not match the pin. */
  tlsMismatch: { expected: string | null; actual: string | null } | null;
}

export interface WebSocketOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Largest frame accepted from Proxmox (PVE sends ≤ 128 KiB). */
  maxPayload?: number;
  /** Called with the socket as soon as it exists, before 'open': the first message can arrive
   * with the 101 answer and be emitted before a listener attached after the promise resolves. */
  onSocket?: (ws: WebSocket) => void;
}

export interface ProxmoxConnection {
  readonly target: Readonly<Omit<ProxmoxTarget, 'tokenSecret'>>;
  /** The whole target, token secret included, for a relay worker process of this instance that
   * opens a console socket itself (IPC only; never a response, a log or a browser). */
  handOver?(): ProxmoxTarget;
  get<T = unknown>(path: string, query?: PveParams, opts?: CallOptions<T>): Promise<T>;
  post<T = unknown>(path: string, form?: PveParams, opts?: CallOptions<T>): Promise<T>;
  request<T = unknown>(
    method: HttpMethod,
    path: string,
    params?: { query?: PveParams; form?: PveParams },
    opts?: CallOptions<T>,
  ): Promise<ProxmoxResponse<T>>;
  openWebSocket(
    path: string,
    query: PveParams,
    protocols?: string | string[],
    opts?: WebSocketOptions,
  ): Promise<WebSocket>;
}

export interface ProxmoxClient {
  forServer(target: ProxmoxTarget): ProxmoxConnection;
  /** `allowedTargets`: the tenant's narrowing of the egress policy, if any. */
  probeCertificate(
    host: string,
    port: number,
    opts?: { timeoutMs?: number; signal?: AbortSignal; allowedTargets?: TargetRules | null },
  ): Promise<CertificateInfo>;
  /** Subscribes to call events; returns the unsubscribe function. */
  onCall(listener: (event: ProxmoxCallEvent) => void): () => void;
}

export interface ProxmoxClientOptions {
  maxResponseBytes?: number;
  userAgent?: string;
  /** The operator's egress policy (NEXUS_ALLOWED_TARGETS); null or absent: the default. */
  allowedTargets?: TargetRules | null;
  /** Host name resolution for dials (tests map names to loopback addresses). */
  resolve?: Resolver;
}

interface RawAnswer {
  status: number;
  reason: string;
  contentType: string;
  body: Buffer;
}

/** A caller's own abort propagates as is (like fetch); our deadline becomes proxmox.timeout. */
function abortReason(signal: AbortSignal, where: string): unknown {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError' ? transportError(reason, where) : reason;
}

class Connection implements ProxmoxConnection {
  readonly target: Readonly<Omit<ProxmoxTarget, 'tokenSecret'>>;
  readonly handOver: () => ProxmoxTarget;
  private readonly authorization: string;
  private readonly where: string;
  private readonly egress: EgressGuard;

  constructor(
    target: ProxmoxTarget,
    private readonly client: DefaultProxmoxClient,
  ) {
    const { tokenSecret, ...rest } = target;
    this.target = Object.freeze(rest);
    this.handOver = () => ({ ...rest, tokenSecret });
    this.egress = client.egressFor(target.allowedTargets ?? null);
    // `=` separates the secret (PBS uses `:`; do not mix them up).
    this.authorization = `PVEAPIToken=${target.tokenId}=${tokenSecret}`;
    this.where = hostLabel(target.host, target.port);
  }

  async get<T = unknown>(path: string, query?: PveParams, opts?: CallOptions<T>): Promise<T> {
    return (await this.request<T>('GET', path, { query }, opts)).data;
  }

  async post<T = unknown>(path: string, form?: PveParams, opts?: CallOptions<T>): Promise<T> {
    return (await this.request<T>('POST', path, { form }, opts)).data;
  }

  /** Reports one call's outcome to the client's listeners (metrics, health, TLS mismatch). */
  private reporter(method: ProxmoxCallEvent['method'], apiPath: string, started: number, metric: boolean) {
    return (ok: boolean, status: number | null, err: AppError | null) =>
      this.client.emit({
        tenantId: this.target.tenantId,
        serverId: this.target.serverId,
        method,
        path: apiPath,
        ok,
        status,
        elapsedMs: performance.now() - started,
        errorCode: (err?.code as ProxmoxCallEvent['errorCode'] | undefined) ?? null,
        errorMessage: err?.message ?? null,
        metric,
        tlsMismatch: mismatchOf(err),
      });
  }

  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    params: { query?: PveParams; form?: PveParams } = {},
    opts: CallOptions<T> = {},
  ): Promise<ProxmoxResponse<T>> {
    const apiPath = API_BASE + checkApiPath(path);
    const query = encodeParams(params.query);
    const form = method === 'POST' || method === 'PUT' ? encodeParams(params.form) : '';
    if ((method === 'GET' || method === 'DELETE') && params.form && Object.keys(params.form).length > 0) {
      throw new TypeError(`${method} takes no form body; pass the parameters as query`);
    }
    const started = performance.now();
    const peer = { fingerprint: null as string | null };
    const event = this.reporter(method, apiPath, started, opts.metric !== false);

    let answer: RawAnswer;
    try {
      answer = await this.exchange(method, apiPath + (query ? `?${query}` : ''), form, opts, peer);
    } catch (err) {
      const e = err instanceof AppError ? err : null;
      event(false, null, e);
      throw err;
    }
    try {
      const data = this.interpret<T>(answer, opts.schema);
      const elapsedMs = performance.now() - started;
      event(true, answer.status, null);
      return { data, status: answer.status, elapsedMs, peerFingerprint: peer.fingerprint };
    } catch (err) {
      event(false, answer.status, err instanceof AppError ? err : null);
      throw err;
    }
  }

  private exchange(
    method: HttpMethod,
    pathAndQuery: string,
    form: string,
    opts: CallOptions<unknown>,
    peer: { fingerprint: string | null },
  ): Promise<RawAnswer> {
    const { signal, clear } = startDeadline(opts.timeoutMs ?? this.target.timeoutMs, opts.signal);
    const max = this.client.maxResponseBytes;
    const { host, port, tls } = this.target;
    const egress = this.egress;
    return new Promise<RawAnswer>((resolve, reject) => {
      if (signal.aborted) {
        clear();
        reject(abortReason(signal, this.where));
        return;
      }
      const headers: Record<string, string> = {
        Authorization: this.authorization,
        Accept: 'application/json',
        'User-Agent': this.client.userAgent,
      };
      if (method === 'POST' || method === 'PUT') {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers['Content-Length'] = String(Buffer.byteLength(form));
      }
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        signal.removeEventListener('abort', onAbort);
        clear();
        reject(err);
      };
      const req = https.request({
        host,
        port,
        method,
        path: pathAndQuery,
        headers,
        createConnection: ((_o: unknown, cb: (err: Error | null, socket?: unknown) => void) => {
          connectVerified({ host, port, tls, signal, egress }, (err, verified) => {
            if (verified) peer.fingerprint = verified.fingerprint;
            cb(err, verified?.socket);
          });
          return undefined;
        }) as never,
      });
      const onAbort = () => {
        const reason = abortReason(signal, this.where);
        req.destroy(reason instanceof Error ? reason : undefined);
        fail(reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => fail(transportError(err, this.where)));
      req.on('response', (res) => {
        const declared = Number(res.headers['content-length'] ?? 0);
        const tooLarge = () =>
          proxmoxError('proxmox.bad_response', `The answer of ${this.where} is larger than ${max} bytes`);
        if (declared > max) {
          req.destroy();
          fail(tooLarge());
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) {
            req.destroy();
            fail(tooLarge());
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => fail(transportError(err, this.where)));
        res.on('aborted', () =>
          fail(proxmoxError('proxmox.unreachable', `${this.where} closed the connection mid-answer`)),
        );
        res.on('end', () => {
          if (failed) return;
          failed = true;
          signal.removeEventListener('abort', onAbort);
          clear();
          resolve({
            status: res.statusCode ?? 0,
            reason: res.statusMessage ?? '',
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          });
        });
      });
      req.end(form || undefined);
    });
  }

  private interpret<T>(answer: RawAnswer, schema: z.ZodType<T> | undefined): T {
    let json: unknown;
    let parsed = false;
    if (jsonNestsDeeper(answer.body, MAX_JSON_DEPTH)) {
      throw proxmoxError(
        'proxmox.bad_response',
        `The answer of ${this.where} nests deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    if (answer.body.length > 0) {
      try {
        json = JSON.parse(answer.body.toString('utf8'));
        parsed = true;
      } catch {
        // not JSON; judged below
      }
    }
    if (answer.status < 200 || answer.status >= 300) throw statusError(answer.status, answer.reason, json);
    if (!parsed || !json || typeof json !== 'object' || !('data' in json)) {
      // Nothing of what it sent instead is passed on: it may be any service's page.
      throw proxmoxError('proxmox.bad_response', `${this.where} did not answer with a Proxmox API document`, {
        status: answer.status,
      });
    }
    const data = (json as { data: unknown }).data;
    if (!schema) return data as T;
    const checked = schema.safeParse(data);
    if (!checked.success) {
      throw proxmoxError('proxmox.bad_response', `${this.where} answered in an unexpected shape`, {
        issues: checked.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    return checked.data;
  }

  openWebSocket(
    path: string,
    query: PveParams,
    protocols?: string | string[],
    opts: WebSocketOptions = {},
  ): Promise<WebSocket> {
    const apiPath = API_BASE + checkApiPath(path);
    const qs = encodeParams(query);
    const { host, port, tls } = this.target;
    const { signal, clear } = startDeadline(opts.timeoutMs ?? this.target.timeoutMs, opts.signal);
    const started = performance.now();
    const url = `wss://${hostLabel(host, port)}${apiPath}${qs ? `?${qs}` : ''}`;
    const report = this.reporter('WEBSOCKET', apiPath, started, false);
    return new Promise<WebSocket>((resolve, reject) => {
      let settled = false;
      const settle = (err: unknown, ws?: WebSocket) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        clear();
        const appErr = err instanceof AppError ? err : null;
        report(!err, null, appErr);
        if (err || !ws) reject(err);
        else resolve(ws);
      };
      const ws = new WebSocket(url, protocols ?? [], {
        headers: { Authorization: this.authorization, 'User-Agent': this.client.userAgent },
        perMessageDeflate: false,
        // ws's default since 8.17, stated: messages of one read are emitted in the same tick.
        allowSynchronousEvents: true,
        followRedirects: false,
        maxPayload: opts.maxPayload ?? 256 * 1024,
        createConnection: ((_o: unknown, cb: (err: Error | null, socket?: unknown) => void) => {
          connectVerified({ host, port, tls, signal, egress: this.egress }, (err, verified) =>
            cb(err, verified?.socket),
          );
          return undefined;
        }) as never,
      });
      opts.onSocket?.(ws);
      const onAbort = () => {
        ws.terminate();
        settle(abortReason(signal, this.where));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      ws.once('open', () => settle(null, ws));
      ws.once('unexpected-response', (req, res) => {
        settle(statusError(res.statusCode ?? 0, res.statusMessage ?? '', undefined));
        res.resume();
        req.destroy();
      });
      ws.once('error', (err) => {
        ws.terminate();
        settle(transportError(err, this.where));
      });
    });
  }
}

function mismatchOf(err: AppError | null): ProxmoxCallEvent['tlsMismatch'] {
  if (err?.code !== 'proxmox.tls_mismatch') return null;
  const d = (err.details ?? {}) as { expected?: string | null; actual?: string | null };
  return { expected: d.expected ?? null, actual: d.actual ?? null };
}

export class DefaultProxmoxClient implements ProxmoxClient {
  readonly maxResponseBytes: number;
  readonly userAgent: string;
  private readonly listeners = new Set<(event: ProxmoxCallEvent) => void>();
  private readonly allowedTargets: TargetRules | null;
  private readonly resolve: Resolver;

  constructor(opts: ProxmoxClientOptions = {}) {
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.userAgent = opts.userAgent ?? 'Nexus';
    this.allowedTargets = opts.allowedTargets ?? null;
    this.resolve = opts.resolve ?? systemResolver;
  }

  /** The operator's list, plus the tenant's when it has one: a dial must pass both. */
  egressFor(tenantTargets: TargetRules | null): EgressGuard {
    return {
      lists: tenantTargets ? [this.allowedTargets, tenantTargets] : [this.allowedTargets],
      resolve: this.resolve,
    };
  }

  forServer(target: ProxmoxTarget): ProxmoxConnection {
    return new Connection(target, this);
  }

  probeCertificate(
    host: string,
    port: number,
    opts: { timeoutMs?: number; signal?: AbortSignal; allowedTargets?: TargetRules | null } = {},
  ): Promise<CertificateInfo> {
    const { signal, clear } = startDeadline(opts.timeoutMs ?? 10_000, opts.signal);
    return probeCertificate(host, port, signal, this.egressFor(opts.allowedTargets ?? null)).finally(clear);
  }

  onCall(listener: (event: ProxmoxCallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listeners never break a call. */
  emit(event: ProxmoxCallEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a listener's failure is its own business
      }
    }
  }
}

export function createProxmoxClient(opts?: ProxmoxClientOptions): ProxmoxClient {
  return new DefaultProxmoxClient(opts);
}
