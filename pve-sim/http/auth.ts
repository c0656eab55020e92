// Authentication as PVE::HTTPServer::auth_handler does it: an API token in the Authorization
// header (`PVEAPIToken=…` or `PVEAPIToken …`), or the PVEAuthCookie ticket plus, for anything but
// GET, the CSRFPreventionToken header. Failures are 401s (delayed by the caller).
import type { IncomingHttpHeaders } from 'node:http';
import type { Accounts, AuthId } from '../model/accounts';
import { authError } from './pve-error';

/** pve-http-server's extract_auth_value: `KEY=value` or `KEY value`, up to `;`, URI-unescaped. */
export function extractAuthValue(header: string | undefined, key: string): string | undefined {
  if (!header) return undefined;
  const m = new RegExp(`(?:^|\\s)${key}(?:=| )([^;]*)`).exec(header);
  if (!m) return undefined;
  const raw = m[1] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function authenticate(headers: IncomingHttpHeaders, method: string, accounts: Accounts): AuthId {
  const token = extractAuthValue(headers.authorization, 'PVEAPIToken');
  if (token !== undefined) return accounts.verifyToken(token);
  const ticket = extractAuthValue(headers.cookie, 'PVEAuthCookie');
  if (ticket === undefined || ticket === '') throw authError('No ticket');
  const userid = accounts.verifyTicket(ticket);
  if (!userid) throw authError('invalid PVE ticket');
  if (method !== 'GET') {
    const csrf = headers.csrfpreventiontoken;
    if (!accounts.verifyCsrf(userid, Array.isArray(csrf) ? csrf[0] : csrf)) {
      throw authError('Permission denied - invalid csrf token');
    }
  }
  return { authid: userid, userid, token: null };
}
