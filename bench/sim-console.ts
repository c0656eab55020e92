// The benchmark's pve-sim as a console's other end, through Nexus's own Proxmox client (pinned
// TLS): what the direct TLS path (bench/relay.ts) and the bare Node relay (bench/relay-bare.ts)
// both do to get a console and open its vncwebsocket.
import type WebSocket from 'ws';
import { createProxmoxClient } from '../server/src/proxmox/index';

export interface SimAddress {
  host: string;
  port: number;
  /** `user@realm!name=secret` */
  token: string;
  fingerprint: string;
}

export type SimConnection = ReturnType<typeof simConnection>;

export interface ConsoleGrant {
  port: string;
  ticket: string;
  /** The VNC password (pve-sim gives one; Proxmox uses the ticket). */
  password: string;
}

export function simConnection(sim: SimAddress) {
  const split = sim.token.indexOf('=');
  return createProxmoxClient().forServer({
    tenantId: 'bench',
    serverId: 'bench',
    host: sim.host,
    port: sim.port,
    tokenId: sim.token.slice(0, split),
    tokenSecret: sim.token.slice(split + 1),
    tls: { mode: 'pinned', fingerprint: sim.fingerprint },
    timeoutMs: 8000,
  });
}

/** `vncproxy` with a websocket for guest `vmid` on node pve1. */
export async function grantConsole(conn: SimConnection, vmid: number): Promise<ConsoleGrant> {
  const g = await conn.post<{ port: string; ticket: string; password?: string }>(`/nodes/pve1/qemu/${vmid}/vncproxy`, {
    websocket: true,
  });
  return { port: g.port, ticket: g.ticket, password: g.password ?? g.ticket };
}

/** Opens the granted console's vncwebsocket; `onSocket` has the socket before any message. */
export function openConsole(
  conn: SimConnection,
  vmid: number,
  grant: ConsoleGrant,
  onSocket: (ws: WebSocket) => void,
): Promise<WebSocket> {
  return conn.openWebSocket(
    `/nodes/pve1/qemu/${vmid}/vncwebsocket`,
    { port: grant.port, vncticket: grant.ticket },
    ['binary'],
    { maxPayload: 16 * 1024 * 1024, onSocket },
  );
}
