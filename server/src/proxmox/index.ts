// server/src/proxmox: the ONLY code that talks to Proxmox VE. Other modules get a connection for
// a registered server from `services.serverDirectory.connect(tenantId, serverId)` (which decrypts the
// token and applies the server's TLS policy and Tailscale address) and use this interface:
//
//   conn.get<T>(path, query?, {timeoutMs?, signal?, schema?, metric?})      → data
//   conn.post<T>(path, form?, opts?)                                          → data (e.g. a UPID)
//   conn.request<T>(method, path, {query?, form?}, opts?)  → {data, status, elapsedMs, peerFingerprint}
//   conn.openWebSocket(path, query, protocols?, {timeoutMs?, signal?, maxPayload?}) → ws.WebSocket (open)
//   client.probeCertificate(host, port, {timeoutMs?})  → {fingerprint, subject, issuer, validTo, …}
//
// Paths are below /api2/json and must be pre-encoded: build them with pvePath`/nodes/${node}/qemu`.
// Parameters are form/query encoded with encodeURIComponent, booleans as 1/0. Every call has a
// deadline (the server's connection timeout unless `timeoutMs` says otherwise; `signal` adds
// the caller's own), answers are capped at 10 MiB and 64 levels of JSON nesting, redirects are
// not followed, and failures are AppErrors with codes: proxmox.auth_failed (401),
// proxmox.permission_denied (403), proxmox.node_offline (595/596), proxmox.tls_mismatch (pin),
// proxmox.tls_error (CA mode), proxmox.timeout, proxmox.unreachable, proxmox.bad_response
// (shape, size, nesting, redirect),
// proxmox.error (anything else; PVE's reason phrase, capped, is in `details.reason`, never in a
// header), and server.target_refused when the egress policy refuses every address it would
// dial (NEXUS_ALLOWED_TARGETS and the tenant's allowedTargets; checked after resolution, the
// socket opened to the checked addresses only — tls-connect.ts).
// Each call emits a ProxmoxCallEvent (client.onCall) that the servers module turns into `api`
// connection metrics and, for a pin mismatch, into status tls_error + audit + realtime event.
export {
  API_BASE,
  type CallOptions,
  createProxmoxClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  type HttpMethod,
  type ProxmoxCallEvent,
  type ProxmoxClient,
  type ProxmoxClientOptions,
  type ProxmoxConnection,
  type ProxmoxResponse,
  type ProxmoxTarget,
  type WebSocketOptions,
} from './proxmox-client';
export { cleanText, type ProxmoxErrorCode } from './proxmox-errors';
export { encodeParams, type PveParams, type PveParamValue, pvePath } from './pve-encode';
export * from './pve-schemas';
export {
  type CertificateInfo,
  normalizeFingerprint,
  type ResolvedAddress,
  type Resolver,
  systemResolver,
  type TlsPolicy,
} from './tls-connect';
