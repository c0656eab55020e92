// The upstream half of bridge mode: pve-sim connects to an external VNC server (e.g. QEMU's
// `-vnc`) as an RFB 3.8 client and authenticates there, so a simulated guest's console can show a
// real machine while the client still authenticates against the simulator like against Proxmox.
import { connect, type Socket } from 'node:net';
import { encodeProtocolVersion, SecurityType, ServerHandshakeReader, type ServerInit } from '@common/rfb/rfb-handshake';
import { vncAuthResponse } from '@common/rfb/vnc-auth';
import { StreamReader } from './stream-io';

export interface BridgeTarget {
  host: string;
  port: number;
  /** VNC password of the external server; omit when it offers security type None. */
  password?: string;
}

/** A connection to the external server whose security handshake has succeeded. */
export interface UpstreamConnection {
  socket: Socket;
  reader: StreamReader;
  handshake: ServerHandshakeReader;
}

/** Connects and authenticates; rejects with a readable reason (refused, wrong password, …). */
export async function connectUpstream(target: BridgeTarget, timeoutMs = 10_000): Promise<UpstreamConnection> {
  const socket = connect({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  const reader = new StreamReader(socket, timeoutMs);
  const handshake = new ServerHandshakeReader({}, reader.queue);
  try {
    const version = await reader.step(() => handshake.protocolVersion(), 'the external VNC server version');
    if (version.major !== 3 || version.minor < 8) {
      throw new Error(`external VNC server speaks RFB ${version.major}.${version.minor}, 3.8 is required`);
    }
    socket.write(encodeProtocolVersion());
    const offer = await reader.step(() => handshake.securityTypes(), 'security types');
    if (!offer.ok) throw new Error(`external VNC server refused the connection: ${offer.reason}`);
    const usePassword = target.password !== undefined && offer.types.includes(SecurityType.VncAuth);
    if (!usePassword && !offer.types.includes(SecurityType.None)) {
      throw new Error(`no usable security type among [${offer.types.join(', ')}]`);
    }
    socket.write(Uint8Array.of(usePassword ? SecurityType.VncAuth : SecurityType.None));
    if (usePassword) {
      const challenge = await reader.step(() => handshake.vncAuthChallenge(), 'the VNC auth challenge');
      socket.write(vncAuthResponse(challenge, target.password as string));
    }
    const result = await reader.step(() => handshake.securityResult(), 'the security result');
    if (!result.ok) throw new Error(`external VNC server rejected authentication: ${result.reason}`);
    return { socket, reader, handshake };
  } catch (err) {
    reader.detach();
    socket.destroy();
    throw err;
  }
}

/** Sends ClientInit and reads the external server's ServerInit. */
export async function initUpstream(
  upstream: UpstreamConnection,
  shared: boolean,
): Promise<ServerInit & { raw: Uint8Array }> {
  upstream.socket.write(Uint8Array.of(shared ? 1 : 0));
  return upstream.reader.step(() => upstream.handshake.serverInit(), 'the external ServerInit');
}
