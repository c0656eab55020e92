// What consoles need from Proxmox, behind one small interface: where a guest lives, the
// vncproxy grant with its matching vncwebsocket, and whether a guest still runs. The real one
// goes through server/src/proxmox (token, TLS policy, deadlines); tests may stand in for it.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { AppError, isAppError } from '../../lib/app-error';
import { type ProxmoxConnection, PveClusterResources, type PveParams, pvePath } from '../../proxmox/index';
import { type CloseReason, ConsoleUpstreamError, type UpstreamGrant } from './console-relay';

export type GuestType = 'qemu' | 'lxc';

export interface GuestLocation {
  node: string;
  type: GuestType;
  name: string | null;
}

/** One guest of one registered server, located. `grant` updates `node` and `type` in place when
 * the guest turned out to have moved (a migration the cached location did not know yet). */
export interface ConsoleTarget extends GuestLocation {
  tenantId: string;
  serverId: string;
  vmid: number;
}

export interface ConsoleUpstream {
  /** Node and type of a guest (vm.not_found when the server has no such guest). */
  locate(tenantId: string, serverId: string, vmid: number): Promise<GuestLocation>;
  /** Calls vncproxy once (websocket=1); the grant opens the matching vncwebsocket. */
  grant(target: ConsoleTarget, signal: AbortSignal): Promise<UpstreamGrant>;
  /** The guest's current state (`running`, `stopped`, `paused`), or null when unknown. */
  guestStatus(target: ConsoleTarget): Promise<string | null>;
  /** Calls termproxy once (a container, or a VM's `serial`); the grant's `password` is the
   * `<authid>:<ticket>` line termproxy wants first, and `connect` opens its vncwebsocket. */
  termGrant?(target: ConsoleTarget, serial: string | null, signal: AbortSignal): Promise<UpstreamGrant>;
}

/** A Proxmox connection for a registered server of a tenant (services.serverDirectory.connect). */
export type ServerConnector = (tenantId: string, serverId: string) => Promise<ProxmoxConnection>;

/** Where a guest lives; the inventory module provides a cached one, else /cluster/resources. */
export type GuestLocator = (
  conn: ProxmoxConnection,
  target: { tenantId: string; serverId: string; vmid: number },
) => Promise<GuestLocation>;

/** Proxmox says the guest's config is not on the node we named: migrated (or deleted). */
const isMissingConfig = (err: unknown): boolean =>
  isAppError(err) &&
  err.code === 'proxmox.error' &&
  /does not exist/i.test(String((err.details as { reason?: unknown } | null | undefined)?.reason ?? ''));

const num = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
/** vncproxy answer; `port` comes as a string from Perl. */
const VncProxyAnswer = z.looseObject({
  port: num,
  ticket: z.string().min(1),
  password: z.string().min(1).optional(),
});
/** termproxy answer: the authid to name in the auth line, the ticket and the port. */
const TermProxyAnswer = z.looseObject({ user: z.string().min(1).max(200), ticket: z.string().min(1), port: num });
const GuestStatus = z.looseObject({ status: z.string().optional(), qmpstatus: z.string().optional() });

/** Proxmox's own 10 s accept window bounds the upgrade; our deadline sits below it. */
const UPSTREAM_TIMEOUT_MS = 8_000;
/** Proxmox frames are at most 128 KiB; accept some slack from proxies in between. */
const UPSTREAM_MAX_PAYLOAD = 4 * 1024 * 1024;

export const locateFromClusterResources: GuestLocator = async (conn, target) => {
  const resources = await conn.get('/cluster/resources', { type: 'vm' }, { schema: PveClusterResources });
  const guest = resources.find((r) => r.vmid === target.vmid && (r.type === 'qemu' || r.type === 'lxc'));
  if (!guest?.node) throw new AppError('vm.not_found', 'Vm not found');
  return { node: guest.node, type: guest.type as GuestType, name: guest.name ?? null };
};

/** The user-facing reason for a Proxmox failure while opening a console. */
export function closeReasonFor(err: unknown): CloseReason {
  if (err instanceof ConsoleUpstreamError) return err.close;
  const code = isAppError(err) ? err.code : null;
  const unreachable = CONSOLE_CLOSE.proxmoxUnreachable;
  switch (code) {
    case 'proxmox.auth_failed':
      return { code: unreachable, reason: 'Proxmox refused the console connection' };
    case 'proxmox.permission_denied':
      return { code: unreachable, reason: 'The API token lacks VM.Console on Proxmox' };
    case 'proxmox.node_offline':
      return { code: unreachable, reason: 'Proxmox node offline' };
    case 'proxmox.tls_mismatch':
    case 'proxmox.tls_error':
      return { code: unreachable, reason: 'Proxmox unreachable (TLS certificate refused)' };
    case 'server.target_refused':
      return { code: unreachable, reason: 'The egress policy refuses this server’s address' };
    case 'proxmox.error': {
      const reason = String((err as AppError & { details?: { reason?: string } }).details?.reason ?? '');
      if (/not running/i.test(reason)) return { code: CONSOLE_CLOSE.vmStopped, reason: 'VM stopped' };
      return { code: unreachable, reason: 'Proxmox could not open the console' };
    }
    default:
      return { code: unreachable, reason: 'Proxmox unreachable' };
  }
}

/** Opens Proxmox's console WebSocket through `conn` (here, or in a relay worker). */
export async function openConsoleSocket(
  conn: ProxmoxConnection,
  path: string,
  query: PveParams,
  attach: (socket: WebSocket) => void,
  signal: AbortSignal,
): Promise<WebSocket> {
  try {
    return await conn.openWebSocket(path, query, ['binary'], {
      signal,
      timeoutMs: UPSTREAM_TIMEOUT_MS,
      maxPayload: UPSTREAM_MAX_PAYLOAD,
      onSocket: attach,
    });
  } catch (err) {
    throw new ConsoleUpstreamError(closeReasonFor(err), 'vncwebsocket failed', { cause: err });
  }
}

/** The `vncwebsocket` that matches a vncproxy or termproxy answer (same host, same token), and
 * how a relay worker opens the same. */
function vncWebSocket(
  conn: ProxmoxConnection,
  base: string,
  answer: { port: number; ticket: string },
): Pick<UpstreamGrant, 'connect' | 'spec'> {
  const path = `${base}/vncwebsocket`;
  const query = { port: answer.port, vncticket: answer.ticket };
  return {
    connect: (attach, signal) => openConsoleSocket(conn, path, query, attach, signal),
    spec: conn.handOver ? { kind: 'proxmox', target: conn.handOver(), path, query } : undefined,
  };
}

export class ProxmoxConsoleUpstream implements ConsoleUpstream {
  /**
   * @param locator where a guest lives (may be cached)
   * @param relocator where it lives now, looked up afresh: asked once when vncproxy on the
   *   located node answers that the guest's config does not exist there (it migrated)
   */
  constructor(
    private readonly connect: ServerConnector,
    private readonly locator: GuestLocator = locateFromClusterResources,
    private readonly relocator: GuestLocator = locateFromClusterResources,
  ) {}

  async locate(tenantId: string, serverId: string, vmid: number): Promise<GuestLocation> {
    const conn = await this.connect(tenantId, serverId);
    return this.locator(conn, { tenantId, serverId, vmid });
  }

  async grant(target: ConsoleTarget, signal: AbortSignal): Promise<UpstreamGrant> {
    try {
      const conn = await this.connect(target.tenantId, target.serverId);
      const vncproxy = () =>
        conn.post(
          pvePath`/nodes/${target.node}/${target.type}/${target.vmid}/vncproxy`,
          { websocket: true },
          { schema: VncProxyAnswer, signal, timeoutMs: UPSTREAM_TIMEOUT_MS },
        );
      let answer: z.infer<typeof VncProxyAnswer>;
      try {
        answer = await vncproxy();
      } catch (err) {
        // The cached location may predate a migration: look the guest up afresh, once.
        if (!isMissingConfig(err)) throw err;
        const now = await this.relocator(conn, target).catch(() => null);
        if (!now || (now.node === target.node && now.type === target.type)) throw err;
        target.node = now.node;
        target.type = now.type;
        answer = await vncproxy();
      }
      const { node, type, vmid } = target;
      // Since qemu-server 9.1.7 a password is always returned; before, the ticket is the password.
      const password = answer.password ?? answer.ticket;
      return { password, ...vncWebSocket(conn, pvePath`/nodes/${node}/${type}/${vmid}`, answer) };
    } catch (err) {
      throw new ConsoleUpstreamError(closeReasonFor(err), 'vncproxy failed', { cause: err });
    }
  }

  async termGrant(target: ConsoleTarget, serial: string | null, signal: AbortSignal): Promise<UpstreamGrant> {
    try {
      const conn = await this.connect(target.tenantId, target.serverId);
      const { node, type, vmid } = target;
      // vmid 0: the node's own shell (POST /nodes/{node}/termproxy, its vncwebsocket).
      const base = vmid === 0 ? pvePath`/nodes/${node}` : pvePath`/nodes/${node}/${type}/${vmid}`;
      const answer = await conn.post(`${base}/termproxy`, type === 'qemu' && serial ? { serial } : undefined, {
        schema: TermProxyAnswer,
        signal,
        timeoutMs: UPSTREAM_TIMEOUT_MS,
      });
      return { password: `${answer.user}:${answer.ticket}`, ...vncWebSocket(conn, base, answer) };
    } catch (err) {
      throw new ConsoleUpstreamError(closeReasonFor(err), 'termproxy failed', { cause: err });
    }
  }

  /** Follows a migration as `grant` does (target updated in place), so a console that ended
   * because its guest moved can say so. */
  async guestStatus(target: ConsoleTarget): Promise<string | null> {
    try {
      const conn = await this.connect(target.tenantId, target.serverId);
      const read = () =>
        conn.get(
          pvePath`/nodes/${target.node}/${target.type}/${target.vmid}/status/current`,
          {},
          { schema: GuestStatus, timeoutMs: 2_500, metric: false },
        );
      let current: z.infer<typeof GuestStatus>;
      try {
        current = await read();
      } catch (err) {
        if (!isMissingConfig(err)) throw err;
        const now = await this.relocator(conn, target);
        if (now.node === target.node && now.type === target.type) throw err;
        target.node = now.node;
        target.type = now.type;
        current = await read();
      }
      return current.qmpstatus ?? current.status ?? null;
    } catch {
      return null;
    }
  }
}
