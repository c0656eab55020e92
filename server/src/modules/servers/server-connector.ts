// Turns a stored server row into a Proxmox connection: decrypts the token secret, applies the
// TLS policy and dials the Tailscale hostname when `use_tailscale` is on. Nothing else decrypts.
import { AppError } from '../../http/errors';
import type { ProxmoxClient, ProxmoxConnection, ProxmoxTarget, TlsPolicy } from '../../proxmox';
import { type CredentialVault, DecryptError } from './credential-vault';
import type { ServerRow } from './servers.repo';

/** With Tailscale on, Nexus dials the MagicDNS name (tailscaled runs on the Nexus host). */
export function dialHost(row: Pick<ServerRow, 'host' | 'use_tailscale' | 'tailscale_hostname'>): string {
  return row.use_tailscale === 1 && row.tailscale_hostname ? row.tailscale_hostname : row.host;
}

export function tlsPolicyOf(row: Pick<ServerRow, 'tls_mode' | 'tls_fingerprint' | 'ca_pem'>): TlsPolicy {
  if (row.tls_mode === 'insecure') return { mode: 'insecure' };
  if (row.tls_mode === 'ca') return { mode: 'ca', caPem: row.ca_pem };
  return { mode: 'pinned', fingerprint: row.tls_fingerprint };
}

export class ServerConnector {
  constructor(
    private readonly vault: CredentialVault,
    readonly proxmox: ProxmoxClient,
  ) {}

  async target(row: ServerRow): Promise<ProxmoxTarget> {
    let secret: string;
    try {
      secret = await this.vault.openTokenSecret(row.tenant_id, row.id, row.token_secret_encrypted);
    } catch (err) {
      if (err instanceof DecryptError) {
        throw new AppError(
          'server.credentials_unreadable',
          'The stored API token of this server cannot be decrypted (master key changed?); enter the token again',
          { cause: err },
        );
      }
      throw err;
    }
    return {
      tenantId: row.tenant_id,
      serverId: row.id,
      host: dialHost(row),
      port: row.port,
      tokenId: row.token_id,
      tokenSecret: secret,
      tls: tlsPolicyOf(row),
      timeoutMs: row.connection_timeout_ms,
    };
  }

  async connect(row: ServerRow): Promise<ProxmoxConnection> {
    return this.proxmox.forServer(await this.target(row));
  }
}
