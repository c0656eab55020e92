// Which key signs new audit rows, and where the keys of older rows come from.
//
// New rows use the key derived from the primary master key. A master key rotation must not
// strand the rows keyed under the old one, and must not rewrite history either (re-chaining every
// row in the rotation would take a long transaction on a big log and would be the one moment a
// bug could destroy the evidence). So the rotation, in the transaction that re-wraps the tenant
// data keys, stores each retired chain key in `audit_keys`, sealed under the new master key and
// re-sealed at every later rotation — readable only with the master key, like the data keys.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { DecryptError, open, parseSealed, seal } from '../../lib/crypto/aead';
import { keyIdOf, type MasterKey, type MasterKeyring } from '../../lib/crypto/master-keyring';
import { AuditKeysRepo } from './audit.repo';
import { type AuditKey, deriveAuditKey } from './audit-chain';

const context = (auditKeyId: string) => `audit-chain-key|${auditKeyId}`;

export class AuditKeyring {
  private readonly repo = new AuditKeysRepo();
  private readonly known = new Map<string, AuditKey>();
  /** Master key id → its chain key, so appends do not derive it each time. */
  private readonly byMaster = new Map<string, AuditKey>();

  /** `master` is null only for a read-only verify without any master key (CLI). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly master: MasterKeyring | null,
  ) {}

  /** The key for new rows: derived from the primary master key. */
  current(): AuditKey {
    if (!this.master) throw new Error('no master key: the audit chain cannot be extended');
    const primary = this.master.primary;
    let key = this.byMaster.get(primary.id);
    if (!key) {
      key = this.remember(deriveAuditKey(primary.key));
      this.byMaster.set(primary.id, key);
    }
    return key;
  }

  /** The key a stored row names, or undefined when no configured master key leads to it. */
  async find(id: string): Promise<AuditKey | undefined> {
    const hit = this.known.get(id) ?? this.fromMasterKeys(id);
    if (hit || !this.master) return hit;
    const row = await this.repo.find(this.db, id);
    if (row) {
      const sealed = parseSealed(row.wrapped_key);
      const master = this.master.find(sealed.keyId);
      if (master) {
        try {
          const key = open(master, sealed, context(id));
          if (keyIdOf('ak', key) === id) return this.remember({ id, key });
        } catch (err) {
          if (!(err instanceof DecryptError)) throw err;
        }
      }
    }
    // Another process may have rotated the key file since: read it again once.
    this.master.refreshPrimary();
    return this.fromMasterKeys(id);
  }

  private fromMasterKeys(id: string): AuditKey | undefined {
    for (const masterId of this.master?.ids() ?? []) {
      const key = this.master?.find(masterId);
      if (!key) continue;
      const derived = this.remember(deriveAuditKey(key));
      if (derived.id === id) return derived;
    }
    return undefined;
  }

  private remember(key: AuditKey): AuditKey {
    const known = this.known.get(key.id);
    if (known) return known;
    this.known.set(key.id, key);
    return key;
  }
}

/**
 * In the master key rotation's transaction: keeps every chain key of the outgoing master keys
 * (and every one retired before) readable under the new master key. Returns how many it stored.
 */
export async function retireAuditKeys(
  trx: Transaction<Database>,
  outgoing: MasterKeyring,
  target: MasterKey,
  now: number,
): Promise<number> {
  const repo = new AuditKeysRepo();
  const keys = new Map<string, Buffer>();
  for (const masterId of outgoing.ids()) {
    const master = outgoing.find(masterId);
    if (!master || masterId === target.id) continue;
    const derived = deriveAuditKey(master);
    keys.set(derived.id, derived.key);
  }
  for (const row of await repo.all(trx)) {
    const sealed = parseSealed(row.wrapped_key);
    if (sealed.keyId === target.id || keys.has(row.id)) continue;
    const master = outgoing.find(sealed.keyId);
    // Throws for a key no configured master key opens: the whole rotation rolls back.
    if (!master)
      throw new DecryptError(
        `audit chain key ${row.id} is sealed by master key ${sealed.keyId}, which is not configured`,
      );
    keys.set(row.id, open(master, sealed, context(row.id)));
  }
  for (const [id, key] of keys) {
    await repo.save(trx, { id, wrapped_key: seal(target.key, target.id, key, context(id)), created_at: now });
  }
  return keys.size;
}
