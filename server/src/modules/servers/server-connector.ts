// Turns a stored server row into a Proxmox connection: decrypts the token secret, applies the
// TLS policy and dials the Tailscale hostname when `use_tailscale` is on, under the tenant's
// narrowing of the egress policy (its allowedTargets setting). Nothing else decrypts.
import { createHash } from 'node:crypto';
import { parseTargetList, type TargetRules } from '@common/egress';
import { AppError } from '../../lib/app-error';
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

/**
 * Everything a proof that the server is Proxmox depends on: where Nexus dials, which certificate
 * it accepts and which token it sends. A verification holds only while this stays the same.
 */
export function endpointKey(
  row: Pick<
    ServerRow,
    | 'host'
    | 'port'
    | 'use_tailscale'
    | 'tailscale_hostname'
    | 'tls_mode'
    | 'tls_fingerprint'
    | 'ca_pem'
    | 'token_id'
    | 'token_secret_encrypted'
  >,
): string {
  const parts = [dialHost(row), row.port, tlsPolicyOf(row), row.token_id, row.token_secret_encrypted];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Whether the row's current endpoint is the one that last proved to be Proxmox. */
export const isVerified = (
  row: Parameters<typeof endpointKey>[0] & Pick<ServerRow, 'verified_at' | 'verified_endpoint'>,
) => row.verified_at !== null && row.verified_endpoint === endpointKey(row);

/** A tenant's stored `allowedTargets` as rules (validated when saved), or null. */
export function tenantTargets(entries: readonly string[] | null): TargetRules | null {
  return entries ? parseTargetList(entries.join(',')).rules : null;
}

export class ServerConnector {
  constructor(
    private readonly vault: CredentialVault,
    readonly proxmox: ProxmoxClient,
    /** The tenant's egress narrowing (from its settings, cached there). */
    readonly allowedTargets: (tenantId: string) => Promise<TargetRules | null> = async () => null,
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
      allowedTargets: await this.allowedTargets(row.tenant_id),
    };
  }

  async connect(row: ServerRow): Promise<ProxmoxConnection> {
    return this.proxmox.forServer(await this.target(row));
  }
}
