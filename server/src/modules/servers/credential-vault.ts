// Proxmox token secrets at rest: AES-256-GCM under the tenant's data key, with the tenant and
// server ids as additional data (a ciphertext copied to another row does not open). Data keys
// are random per tenant, wrapped by the master key, and cached once unwrapped.
import { hkdfSync } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import { DecryptError, open, parseSealed, seal } from '../../lib/crypto/aead';
import { generateKey, keyIdOf, type MasterKeyring } from '../../lib/crypto/master-keyring';
import type { Logger } from '../../lib/logger';
import { type TenantKeyRow, TenantKeysRepo } from './tenant-keys.repo';

export interface DataKey {
  id: string;
  key: Buffer;
}

export { DecryptError };

const dataKeyContext = (tenantId: string) => `tenant-data-key|${tenantId}`;
const tokenContext = (tenantId: string, serverId: string) => `pve-token-secret|${tenantId}|${serverId}`;

/** Wraps a tenant's data key with a master key (used here and by the rotation command). */
export function wrapDataKey(master: { id: string; key: Buffer }, tenantId: string, dataKey: Buffer): string {
  return seal(master.key, master.id, dataKey, dataKeyContext(tenantId));
}

/** Unwraps with whichever master key the stored value names; throws DecryptError. */
export function unwrapDataKey(keyring: MasterKeyring, row: Pick<TenantKeyRow, 'tenant_id' | 'wrapped_key'>): DataKey {
  const sealed = parseSealed(row.wrapped_key);
  const master = keyring.find(sealed.keyId);
  if (!master) throw new DecryptError(`the data key is wrapped by master key ${sealed.keyId}, which is not configured`);
  const key = open(master, sealed, dataKeyContext(row.tenant_id));
  if (key.length !== 32) throw new DecryptError('unwrapped data key has the wrong length');
  return { id: keyIdOf('dk', key), key };
}

export class CredentialVault {
  private readonly repo = new TenantKeysRepo();
  private readonly cache = new Map<string, DataKey>();
  private readonly pending = new Map<string, Promise<DataKey>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keyring: MasterKeyring,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async sealTokenSecret(tenantId: string, serverId: string, secret: string): Promise<string> {
    const dk = await this.dataKey(tenantId);
    return seal(dk.key, dk.id, Buffer.from(secret, 'utf8'), tokenContext(tenantId, serverId));
  }

  /** Throws DecryptError when the value was altered, moved to another row, or the key is gone. */
  async openTokenSecret(tenantId: string, serverId: string, sealedText: string): Promise<string> {
    const sealed = parseSealed(sealedText);
    let dk = await this.dataKey(tenantId);
    if (dk.id !== sealed.keyId) {
      // Another instance may have (re)created the tenant's key: read it again once.
      this.cache.delete(tenantId);
      dk = await this.dataKey(tenantId);
      if (dk.id !== sealed.keyId) throw new DecryptError('sealed with a data key this tenant does not have');
    }
    return open(dk.key, sealed, tokenContext(tenantId, serverId)).toString('utf8');
  }

  /**
   * A key for one purpose (`recording|<id>`: a recording's file), derived from the tenant's data
   * key with HKDF so that no file holds material of the data key itself. With `keyId`, the data
   * key must be that one (a file sealed under another cannot be opened: DecryptError).
   */
  async derivedKey(tenantId: string, purpose: string, keyId?: string): Promise<{ keyId: string; key: Buffer }> {
    let dk = await this.dataKey(tenantId);
    if (keyId !== undefined && dk.id !== keyId) {
      this.cache.delete(tenantId);
      dk = await this.dataKey(tenantId);
      if (dk.id !== keyId) throw new DecryptError('sealed with a data key this tenant does not have');
    }
    const key = Buffer.from(hkdfSync('sha256', dk.key, Buffer.from(purpose, 'utf8'), 'nexus derived key v1', 32));
    return { keyId: dk.id, key };
  }

  /** Drops unwrapped data keys from memory (tests; after a tenant is deleted). */
  forgetCachedKeys(tenantId?: string): void {
    if (tenantId) this.cache.delete(tenantId);
    else this.cache.clear();
  }

  /**
   * Unwraps every tenant's data key once at start: problems (a missing master key) show in the
   * log at once, and keys wrapped by a previous master key are re-wrapped by the current one.
   */
  async warm(): Promise<{ tenants: number; failed: string[] }> {
    const failed: string[] = [];
    const rows = await this.repo.all(this.db);
    for (const row of rows) {
      try {
        this.cache.set(row.tenant_id, await this.unwrapAndHeal(row));
      } catch (err) {
        failed.push(row.tenant_id);
        this.log.error(
          { tenantId: row.tenant_id, keyId: row.key_id, reason: (err as Error).message },
          'cannot unwrap a tenant data key: is the right master key configured?',
        );
      }
    }
    return { tenants: rows.length, failed };
  }

  private dataKey(tenantId: string): Promise<DataKey> {
    const hit = this.cache.get(tenantId);
    if (hit) return Promise.resolve(hit);
    let p = this.pending.get(tenantId);
    if (!p) {
      p = this.loadOrCreate(tenantId).finally(() => this.pending.delete(tenantId));
      this.pending.set(tenantId, p);
    }
    return p;
  }

  private async loadOrCreate(tenantId: string): Promise<DataKey> {
    let row = await this.repo.find(this.db, tenantId);
    if (!row) {
      this.keyring.refreshPrimary();
      const master = this.keyring.primary;
      const now = this.clock.now();
      await this.repo.insertIfAbsent(this.db, {
        tenant_id: tenantId,
        key_id: master.id,
        wrapped_key: wrapDataKey(master, tenantId, generateKey()),
        created_at: now,
        updated_at: now,
      });
      row = await this.repo.find(this.db, tenantId);
      if (!row) throw new Error(`tenant ${tenantId} has no data key (was the tenant deleted?)`);
    }
    const dk = await this.unwrapAndHeal(row);
    this.cache.set(tenantId, dk);
    return dk;
  }

  /** Unwraps, and moves a key still wrapped by an older master key to the current one. */
  private async unwrapAndHeal(row: TenantKeyRow): Promise<DataKey> {
    const dk = unwrapDataKey(this.keyring, row);
    const wrappedBy = parseSealed(row.wrapped_key).keyId;
    this.keyring.refreshPrimary();
    const primary = this.keyring.primary;
    if (wrappedBy !== primary.id) {
      const healed = await this.repo.rewrap(
        this.db,
        row.tenant_id,
        { keyId: row.key_id, wrapped: row.wrapped_key },
        { keyId: primary.id, wrapped: wrapDataKey(primary, row.tenant_id, dk.key) },
        this.clock.now(),
      );
      if (healed) this.log.info({ tenantId: row.tenant_id, from: wrappedBy, to: primary.id }, 're-wrapped a data key');
    }
    return dk;
  }
}
