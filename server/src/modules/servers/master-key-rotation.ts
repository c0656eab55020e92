// `npm run nexus -- rotate-master-key`: re-wraps every tenant data key (and re-seals every
// authenticator secret) with a new master key in one transaction, while servers keep running. Token ciphertexts do not change (the data keys
// stay the same), so no decrypt ever depends on the rotation finishing.
//
// Key file mode: the file becomes [new, old] before the commit and [new] after, so a running
// server that meets the new key id re-reads the file and finds it. Environment mode
// (NEXUS_MASTER_KEY): the new key comes from NEXUS_NEW_MASTER_KEY; running instances keep the data
// keys they unwrapped; restart them with NEXUS_MASTER_KEY=<new> and NEXUS_MASTER_KEY_PREVIOUS=<old>
// (a data key still wrapped by the old key is re-wrapped on first use), then drop the old key.
import fs from 'node:fs';
import type { Config } from '../../config/config';
import type { Db } from '../../db/database';
import { lockNamed } from '../../db/tx';
import { type Clock, systemClock } from '../../lib/clock';
import { parseSealed } from '../../lib/crypto/aead';
import {
  generateKey,
  keyFilePath,
  keyIdOf,
  MasterKeyring,
  readKeyFile,
  writeKeyFile,
} from '../../lib/crypto/master-keyring';
import { resealChannelSecrets } from '../alerts/channels.service';
import { resealForwardingSecret } from '../audit/audit-forwarder';
import { retireAuditKeys } from '../audit/audit-keys';
import { resealTotpSecrets } from '../auth/second-factors.service';
import { resealProviderSecrets } from '../auth/sso/identity-providers';
import { unwrapDataKey, wrapDataKey } from './credential-vault';
import { TenantKeysRepo } from './tenant-keys.repo';

export interface RotationResult {
  keyId: string;
  previousKeyId: string;
  /** Data keys that were not under the new key and now are — moved by the rotation, or healed
   * meanwhile by a running server that already read the new key file (see credential-vault.ts). */
  rewrapped: number;
  /** Audit chain keys of outgoing master keys, now kept sealed under the new one. */
  auditKeys: number;
  /** Authenticator (TOTP) and identity-provider client secrets sealed again under the new key. */
  totpSecrets: number;
  /** The key file now holding only the new key, or null in environment mode. */
  keyFile: string | null;
  /** The new key was generated here (key file mode only). */
  generated: boolean;
}

const ATTEMPTS = 5;

export async function rotateMasterKey(opts: {
  config: Pick<Config, 'masterKey' | 'previousMasterKeys' | 'dataDir'>;
  database: Db;
  newKey?: Buffer | undefined;
  clock?: Clock;
}): Promise<RotationResult> {
  const { config, database } = opts;
  const clock = opts.clock ?? systemClock;
  const envMode = config.masterKey !== undefined;
  const file = keyFilePath(config.dataDir);
  let current: Buffer[];
  if (config.masterKey) {
    current = [config.masterKey, ...(config.previousMasterKeys ?? [])];
  } else {
    if (!fs.existsSync(file)) throw new Error(`no key file at ${file} and no NEXUS_MASTER_KEY: nothing to rotate`);
    current = readKeyFile(file);
  }
  if (envMode && !opts.newKey) {
    throw new Error('with NEXUS_MASTER_KEY set, give the new key in NEXUS_NEW_MASTER_KEY (64 hex characters)');
  }
  const newKey = opts.newKey ?? generateKey();
  const previous = current[0];
  if (!previous) throw new Error('no current master key');
  if (newKey.equals(previous)) throw new Error('the new master key is the current one');
  const newId = keyIdOf('mk', newKey);
  const others = current.filter((k) => !k.equals(newKey));

  if (!envMode) writeKeyFile(file, [newKey, ...others]);
  const keyring = new MasterKeyring({ kind: 'env', keys: [newKey, ...others] });
  const target = { id: newId, key: newKey };
  const repo = new TenantKeysRepo();
  let rewrapped = 0;
  const pending = await repo.countNotWrappedBy(database.db, newId);
  let auditKeys = 0;
  let totpSecrets = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      rewrapped += await database.db.transaction().execute(async (trx) => {
        await lockNamed(trx, database.dialect, 'tenant-keys');
        // Rows keyed under an outgoing master key stay verifiable once it is gone.
        auditKeys = await retireAuditKeys(trx, keyring, target, clock.now());
        totpSecrets = await resealTotpSecrets(trx, keyring, target);
        totpSecrets += await resealProviderSecrets(trx, keyring, target);
        totpSecrets += await resealChannelSecrets(trx, keyring, target);
        totpSecrets += await resealForwardingSecret(trx, keyring, target, database.dialect, clock.now());
        let n = 0;
        for (const row of await repo.all(trx)) {
          if (parseSealed(row.wrapped_key).keyId === newId) continue;
          // Throws for a key no configured master key opens: the whole rotation rolls back.
          const dk = unwrapDataKey(keyring, row);
          const moved = await repo.rewrap(
            trx,
            row.tenant_id,
            { keyId: row.key_id, wrapped: row.wrapped_key },
            { keyId: newId, wrapped: wrapDataKey(target, row.tenant_id, dk.key) },
            clock.now(),
          );
          if (moved) n++;
        }
        return n;
      });
    } catch (err) {
      // SQLite: a running server wrote meanwhile (busy / stale snapshot). Try again.
      if (attempt >= ATTEMPTS || !/SQLITE_BUSY|database is locked/i.test(String((err as Error).message))) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
      continue;
    }
    // A tenant created meanwhile by a server still on the old key: take another pass.
    if ((await repo.countNotWrappedBy(database.db, newId)) === 0 || attempt >= ATTEMPTS) break;
  }
  const left = await repo.countNotWrappedBy(database.db, newId);
  if (left > 0) throw new Error(`${left} data key(s) are still wrapped by another key; run the rotation again`);
  if (!envMode) writeKeyFile(file, [newKey]);
  return {
    keyId: newId,
    previousKeyId: keyIdOf('mk', previous),
    rewrapped: Math.max(rewrapped, pending),
    auditKeys,
    totpSecrets,
    keyFile: envMode ? null : file,
    generated: opts.newKey === undefined,
  };
}
