// A small HTTP client for tests: keeps the session cookie and sends the CSRF token, like the SPA.
// Everything it sees is recorded for the secrets scan.
import { registerSecret } from './secrets';
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface TranscriptEntry {
  method: string;
  path: string;
  status: number;
  text: string;
}

export class ApiClient {
  /** Every response body this process has seen, for the secrets scan. */
  static transcript: TranscriptEntry[] = [];
  /** Fuzzing sends junk in password/token fields: it turns this off so junk is not a "secret". */
  static registerBodySecrets = true;

  cookie: string | null = null;
  csrf: string | null = null;
  bearer: string | null = null;
  origin: string | null = null;
  ip: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    // A cookie given for one request (a challenge, a ceremony) goes along with the session's.
    if (this.cookie) headers.cookie = headers.cookie ? `${this.cookie}; ${headers.cookie}` : this.cookie;
    if (this.csrf && method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = this.csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.origin) headers.origin = this.origin;
    if (this.ip) headers['x-forwarded-for'] = this.ip;
    let payload: string | undefined;
    if (body !== undefined) {
      if (typeof body === 'string') {
        payload = body;
        headers['content-type'] ??= 'text/plain';
      } else {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body: payload, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      if (pair && /nexus_session=/.test(pair)) {
        const cleared = /=$/.test(pair) || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c);
        this.cookie = cleared ? null : pair;
        if (!cleared) registerSecret(pair.slice(pair.indexOf('=') + 1), 'session id');
      }
    }
    if (ApiClient.registerBodySecrets && body && typeof body === 'object') {
      const b = body as Record<string, unknown>;
      for (const key of ['password', 'newPassword', 'currentPassword', 'apiToken']) {
        if (typeof b[key] === 'string') registerSecret(b[key], key === 'apiToken' ? 'PVE token' : 'password');
      }
    }
    const text = await res.text();
    const index = ApiClient.transcript.push({ method, path, status: res.status, text }) - 1;
    // Handed out once by design: API tokens at creation, invitation links when inviting.
    for (const m of text.matchAll(/"token":"(nxs_[\w-]+)"/g)) registerSecret(m[1] ?? '', 'API token', index);
    for (const m of text.matchAll(/\/(?:invitations|setup|share)\/([\w-]{40,})/g))
      registerSecret(m[1] ?? '', 'link token', index);
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('GET', path, undefined, headers);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('POST', path, body, headers);
  put = <T = any>(path: string, body?: unknown) => this.request<T>('PUT', path, body);
  patch = <T = any>(path: string, body?: unknown) => this.request<T>('PATCH', path, body);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);

  async login(email: string, password: string): Promise<ApiResponse> {
    const res = await this.post('/api/auth/login', { email, password });
    if (res.status === 200) this.csrf = res.body.csrfToken;
    return res;
  }
}
