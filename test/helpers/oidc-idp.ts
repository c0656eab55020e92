// A real OpenID provider for the tests: `oidc-provider` (a certified OP) on loopback, with test
// users and a `groups` claim. Its login step signs in `idp.nextUser` at once (and says
// `amr: ["pwd", "otp"]` when that user has MFA), so tests drive the whole redirect flow with plain
// HTTP requests (`ssoRoundTrip`); with no `nextUser` it shows a login page (a user name field and
// "Sign in") for the browser tests.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdpUser {
  email?: string;
  emailVerified?: boolean;
  name?: string;
  groups?: string[];
  mfa?: boolean;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, IdpUser>;
  /** Who the next interaction signs in. */
  nextUser: string;
  close(): Promise<void>;
}

export async function startTestIdp(opts: {
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}): Promise<TestIdp> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = new Map<string, IdpUser>();
  const idp: TestIdp = {
    issuer,
    clientId: 'nexus-test',
    clientSecret: 'nexus-test-client-secret-0123456789',
    users,
    nextUser: '',
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        redirect_uris: opts.redirectUris,
        post_logout_redirect_uris: opts.postLogoutRedirectUris ?? [],
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub', 'amr', 'acr'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // The claims in the ID token too, as many providers do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, id) => {
      const u = users.get(id);
      if (!u) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          ...(u.email ? { email: u.email, email_verified: u.emailVerified ?? true } : {}),
          ...(u.name ? { name: u.name } : {}),
          groups: u.groups ?? [],
        }),
      };
    },
  });
  provider.on('server_error', () => {});
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) {
      callback(req, res);
      return;
    }
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      let accountId = idp.nextUser;
      if (!accountId && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          `<!doctype html><html lang="en"><title>Test IdP</title><h1>Test IdP sign-in</h1>
<form method="post"><label>User name <input name="login" autofocus></label> <button>Sign in</button></form>`,
        );
        return;
      }
      if (!accountId) {
        let body = '';
        for await (const chunk of req) body += chunk;
        accountId = new URLSearchParams(body).get('login') ?? '';
      }
      const user = users.get(accountId);
      if (!user) {
        res.writeHead(403).end('no such test user');
        return;
      }
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId, amr: user.mfa ? ['pwd', 'otp'] : ['pwd'] }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  return idp;
}

/** The browser's side of a sign-in through the provider, with plain requests: Nexus's login
 * redirect, the provider's authorization and automatic interaction, back to Nexus's callback.
 * `tamper` may change the callback URL before it is followed. */
export async function ssoRoundTrip(
  appUrl: string,
  opts: {
    returnTo?: string;
    tamper?: (callback: URL) => void;
    browserCookie?: (value: string) => string;
    provider?: string;
    /** Runs after the provider answered, before Nexus gets the answer. */
    beforeCallback?: () => Promise<void>;
  } = {},
): Promise<{ status: number; location: string; cookies: Record<string, string> }> {
  const start = await fetch(
    `${appUrl}/api/auth/oidc/${opts.provider ?? 'default'}/login${opts.returnTo ? `?returnTo=${encodeURIComponent(opts.returnTo)}` : ''}`,
    { redirect: 'manual' },
  );
  if (start.status !== 302) throw new Error(`login did not redirect: ${start.status}`);
  const appCookies = cookiesOf(start.headers);
  let next = start.headers.get('location') ?? '';
  if (next.startsWith('/login')) return { status: 302, location: next, cookies: appCookies };
  // Through the provider, with its cookies, until it sends the browser back to Nexus.
  const jar: Record<string, string> = {};
  for (let i = 0; i < 10 && !next.includes('/api/auth/oidc/'); i++) {
    const res = await fetch(next, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    Object.assign(jar, cookiesOf(res.headers));
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${next}: ${res.status} ${await res.text()}`);
    next = new URL(location, next).href;
  }
  const callback = new URL(next);
  opts.tamper?.(callback);
  await opts.beforeCallback?.();
  const browser = appCookies.nexus_oidc ?? '';
  const back = await fetch(`${appUrl}${callback.pathname}${callback.search}`, {
    redirect: 'manual',
    headers: { cookie: `nexus_oidc=${opts.browserCookie ? opts.browserCookie(browser) : browser}` },
  });
  return { status: back.status, location: back.headers.get('location') ?? '', cookies: cookiesOf(back.headers) };
}

function cookiesOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
