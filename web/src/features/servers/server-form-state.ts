// The add/edit server form as data: its state, what it must ask for, when it may be saved, and
// the request body it sends. Pure, so the rules are tested without a browser.
import { normalizeFingerprint, parseApiToken } from '@common/schemas/servers';
import type { TenantSettings } from '@common/schemas/tenants';
import type { ProxmoxServer, ServerInput, ServerPatch, TlsMode } from './types';

export interface ServerFormState {
  name: string;
  host: string;
  port: string;
  apiToken: string;
  tlsMode: TlsMode;
  tlsFingerprint: string;
  caPem: string;
  useTailscale: boolean;
  tailscaleHostname: string;
  connectionTimeoutMs: string;
  isActive: boolean;
}

export type ServerDefaults = Pick<TenantSettings, 'defaultTlsMode' | 'defaultConnectionTimeoutMs'>;

/** A new server starts from the tenant's defaults (never insecure for those who may not choose it). */
export function initialServerForm(
  server: ProxmoxServer | null,
  defaults: ServerDefaults | undefined,
  mayInsecure: boolean,
): ServerFormState {
  const defaultTls = defaults?.defaultTlsMode === 'insecure' && !mayInsecure ? 'pinned' : defaults?.defaultTlsMode;
  return {
    name: server?.name ?? '',
    host: server?.host ?? '',
    port: String(server?.port ?? 8006),
    apiToken: '',
    tlsMode: server?.tlsMode ?? defaultTls ?? 'pinned',
    tlsFingerprint: server?.tlsFingerprint ?? '',
    caPem: '',
    useTailscale: server?.useTailscale ?? false,
    tailscaleHostname: server?.tailscaleHostname ?? '',
    connectionTimeoutMs: String(server?.connectionTimeoutMs ?? defaults?.defaultConnectionTimeoutMs ?? 10_000),
    isActive: server?.isActive ?? true,
  };
}

const portOf = (f: ServerFormState) => Number(f.port) || 8006;

/**
 * Whether an edit must carry the API token again: the stored token never follows a new address
 * (host, port, Tailscale name) or a newly trusted certificate; the server refuses such an edit.
 */
export function credentialMustBeGiven(server: ProxmoxServer, f: ServerFormState): boolean {
  const dial = f.useTailscale && f.tailscaleHostname.trim() ? f.tailscaleHostname.trim() : f.host.trim();
  const moved = dial.toLowerCase() !== server.dialHost.toLowerCase() || portOf(f) !== server.port;
  if (moved) return true;
  if (server.tlsMode === 'insecure') return false;
  if (f.tlsMode !== server.tlsMode) return true;
  if (f.tlsMode === 'pinned') return normalizeFingerprint(f.tlsFingerprint) !== server.tlsFingerprint;
  return f.tlsMode === 'ca' && f.caPem.trim() !== '';
}

export interface ServerFormCheck {
  /** A token was typed but is not USER@REALM!TOKENID=SECRET. */
  tokenInvalid: boolean;
  /** Editing: the token must be entered again (see credentialMustBeGiven). */
  tokenNeeded: boolean;
  fingerprintInvalid: boolean;
  /** The fingerprint differs from the stored one, so the user must confirm they trust it. */
  fingerprintChanged: boolean;
  /** Pinned TLS has a valid fingerprint, confirmed when it is new. */
  pinnedReady: boolean;
  /** Everything required is there (the save button's state, besides a save in flight). */
  complete: boolean;
}

export function checkServerForm(f: ServerFormState, server: ProxmoxServer | null, trusted: boolean): ServerFormCheck {
  const tokenInvalid = f.apiToken !== '' && parseApiToken(f.apiToken) === null;
  const tokenNeeded = server !== null && credentialMustBeGiven(server, f);
  const fingerprintChanged = f.tlsFingerprint !== (server?.tlsFingerprint ?? '');
  const fingerprintInvalid = f.tlsFingerprint !== '' && normalizeFingerprint(f.tlsFingerprint) === null;
  const pinnedReady =
    f.tlsMode !== 'pinned' || (f.tlsFingerprint !== '' && !fingerprintInvalid && (!fingerprintChanged || trusted));
  const complete =
    f.name.trim() !== '' &&
    f.host.trim() !== '' &&
    (server !== null || f.apiToken.trim() !== '') &&
    !tokenInvalid &&
    pinnedReady;
  return { tokenInvalid, tokenNeeded, fingerprintInvalid, fingerprintChanged, pinnedReady, complete };
}

/** Where "Fetch certificate" connects: the Tailscale name when one is used, else the host. */
export function probeTarget(f: ServerFormState): { host: string; port: number } {
  return { host: f.useTailscale && f.tailscaleHostname ? f.tailscaleHostname : f.host.trim(), port: portOf(f) };
}

/** The body of an edit (PATCH): the token, fingerprint and CA only when given. */
export function serverPatch(f: ServerFormState): ServerPatch {
  const body: ServerPatch = {
    name: f.name.trim(),
    host: f.host.trim(),
    port: portOf(f),
    tlsMode: f.tlsMode,
    useTailscale: f.useTailscale,
    tailscaleHostname: f.useTailscale ? f.tailscaleHostname.trim() || null : null,
    connectionTimeoutMs: Number(f.connectionTimeoutMs) || 10_000,
    isActive: f.isActive,
  };
  if (f.apiToken.trim()) body.apiToken = f.apiToken.trim();
  if (f.tlsMode === 'pinned') body.tlsFingerprint = f.tlsFingerprint.trim();
  if (f.tlsMode === 'ca' && f.caPem.trim()) body.caPem = f.caPem.trim();
  return body;
}

/** The body of a new server (POST): as an edit, with the token always and no active flag. */
export function serverInput(f: ServerFormState): ServerInput {
  const { isActive: _, ...body } = serverPatch(f);
  return { ...body, name: body.name ?? '', host: body.host ?? '', apiToken: f.apiToken.trim() };
}
