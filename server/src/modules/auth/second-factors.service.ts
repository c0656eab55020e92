// Second factors (DESIGN.md §9 "Identity"): TOTP (RFC 6238: SHA-1, 6 digits, 30 s, one step of
// clock drift either way) enrolled from the account page and confirmed by a first code, ten
// single-use recovery codes shown once, and the sign-in challenge between a right password and
// the second factor (a short-lived cookie, stored as SHA-256). The TOTP secret is sealed with the
// master key and never shown again after enrolment; no code is accepted twice (the accepted time
// step only moves forward, in the database).
import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import type { Database } from '../../db/schema';
import type { Executor } from '../../db/tx';
import type { AuthedContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { type MasterKeyring, openWithMaster, resealUnder, sealWithMaster } from '../../lib/crypto/master-keyring';
import { newId, newSecret, sha256 } from '../../lib/ids';
import type { AuditService } from '../audit/audit.service';
import type { PasskeysService } from './passkeys.service';
import { SecondFactorsRepo } from './second-factors.repo';

const PERIOD_S = 30;
/** Between the password and the second factor. */
const CHALLENGE_TTL_MS = 5 * 60_000;
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const totpContext = (userId: string) => `totp:${userId}`;
const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

/** `abcd-efgh-jk`: 10 characters from 31 (≈ 50 bits), dashes for reading aloud. */
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

export interface SecondFactorStatus {
  totp: boolean;
  recoveryCodesLeft: number;
  passkeys: number;
}

export type SecondFactorAnswer =
  | { code: string }
  | { recoveryCode: string }
  | { passkey: AuthenticationResponseJSON; ceremony: string | undefined };

export class SecondFactorsService {
  readonly repo = new SecondFactorsRepo();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keyring: MasterKeyring,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly passkeys: Pick<PasskeysService, 'verify' | 'hasPasskey' | 'repo'>,
  ) {}

  /** An authenticator app or a passkey. */
  hasFactor(userId: string): Promise<boolean> {
    return this.repo.hasAnyFactor(this.db, userId);
  }

  async status(userId: string): Promise<SecondFactorStatus> {
    return {
      totp: await this.repo.hasConfirmedTotp(this.db, userId),
      recoveryCodesLeft: await this.repo.recoveryCodesLeft(this.db, userId),
      passkeys: await this.passkeys.repo.count(this.db, userId),
    };
  }

  /** What the sign-in's second step may offer this user. */
  async methods(userId: string): Promise<('totp' | 'recovery' | 'passkey')[]> {
    const out: ('totp' | 'recovery' | 'passkey')[] = [];
    if (await this.repo.hasConfirmedTotp(this.db, userId)) out.push('totp', 'recovery');
    if (await this.passkeys.hasPasskey(userId)) out.push('passkey');
    return out;
  }

  // ---- enrolment ----------------------------------------------------------------------------------

  /** POST /api/account/mfa/totp: a new secret, pending until a code confirms it. */
  async beginTotp(ctx: AuthedContext): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = new Secret({ size: 20 });
    const sealed = sealWithMaster(this.keyring, Buffer.from(secret.base32, 'utf8'), totpContext(ctx.actor.userId));
    if (!(await this.repo.putPendingTotp(this.db, ctx.actor.userId, sealed, this.clock.now()))) {
      throw new AppError('mfa.already_enrolled', 'An authenticator app is already set up; remove it first');
    }
    const totp = this.totp(secret, ctx.actor.email);
    return { secret: secret.base32, otpauthUrl: totp.toString() };
  }

  /** POST /api/account/mfa/totp/confirm: the first code turns the secret on; recovery codes. */
  async confirmTotp(ctx: AuthedContext, code: string): Promise<{ recoveryCodes: string[] }> {
    const userId = ctx.actor.userId;
    const row = await this.repo.findTotp(this.db, userId);
    if (!row || row.confirmed_at !== null) {
      throw new AppError('mfa.not_pending', 'Start setting up an authenticator app first');
    }
    const step = this.matchingStep(row.secret_sealed, userId, code);
    const now = this.clock.now();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.db.transaction().execute(async (trx) => {
      if (step === null || !(await this.repo.acceptStep(trx, userId, step, now))) {
        throw new AppError('mfa.code_invalid', 'That code is not right (check the time on your phone)');
      }
      await this.repo.replaceRecoveryCodes(
        trx,
        userId,
        codes.map((c) => ({ id: newId(), code_hash: sha256(normalizeRecovery(c)) })),
        now,
      );
      await this.repo.clearMustEnrol(trx, userId);
      await this.audit.record(trx, ctx.audit, { action: 'mfa.totp_enabled', targetType: 'user', targetId: userId });
    });
    return { recoveryCodes: codes };
  }

  /** DELETE /api/account/mfa/totp: with the password (checked by the caller) and a current code. */
  async removeTotp(ctx: AuthedContext, code: string): Promise<void> {
    const userId = ctx.actor.userId;
    if (!(await this.accept(userId, { code }))) {
      throw new AppError('mfa.code_invalid', 'That code is not right (check the time on your phone)');
    }
    await this.db.transaction().execute(async (trx) => {
      await this.repo.deleteTotp(trx, userId);
      await this.repo.replaceRecoveryCodes(trx, userId, [], this.clock.now());
      await this.audit.record(trx, ctx.audit, { action: 'mfa.totp_disabled', targetType: 'user', targetId: userId });
    });
  }

  /** POST /api/account/mfa/recovery-codes: ten new ones (the old ones stop working), with a code. */
  async regenerateRecoveryCodes(ctx: AuthedContext, code: string): Promise<{ recoveryCodes: string[] }> {
    const userId = ctx.actor.userId;
    if (!(await this.accept(userId, { code }))) {
      throw new AppError('mfa.code_invalid', 'That code is not right (check the time on your phone)');
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.db.transaction().execute(async (trx) => {
      await this.repo.replaceRecoveryCodes(
        trx,
        userId,
        codes.map((c) => ({ id: newId(), code_hash: sha256(normalizeRecovery(c)) })),
        this.clock.now(),
      );
      await this.audit.record(trx, ctx.audit, {
        action: 'mfa.recovery_codes_renewed',
        targetType: 'user',
        targetId: userId,
      });
    });
    return { recoveryCodes: codes };
  }

  /** A global admin takes a user's second factors away (the user enrols again). */
  async reset(ctx: AuthedContext, userId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const had = (await this.repo.findTotp(trx, userId)) !== undefined;
      await this.repo.deleteTotp(trx, userId);
      await this.repo.replaceRecoveryCodes(trx, userId, [], this.clock.now());
      await this.passkeys.repo.removeAll(trx, userId);
      await this.repo.deleteChallenges(trx, { userId });
      await this.repo.markReset(trx, userId, this.clock.now());
      await this.audit.record(trx, ctx.audit, {
        action: 'mfa.reset',
        targetType: 'user',
        targetId: userId,
        details: { hadFactor: had },
      });
      return had;
    });
  }

  // ---- sign-in ------------------------------------------------------------------------------------

  /** After a right password: the challenge cookie's value (the step that asks for the factor). */
  async challenge(userId: string): Promise<string> {
    const value = newSecret(32);
    const now = this.clock.now();
    await this.repo.deleteChallenges(this.db, { before: now });
    await this.repo.insertChallenge(this.db, {
      id: sha256(value),
      user_id: userId,
      created_at: now,
      expires_at: now + CHALLENGE_TTL_MS,
    });
    return value;
  }

  /** The user a live challenge belongs to. */
  async challengedUser(value: string | undefined): Promise<string | null> {
    if (!value || value.length > 200) return null;
    const row = await this.repo.findChallenge(this.db, sha256(value), this.clock.now());
    return row?.user_id ?? null;
  }

  endChallenge(value: string): Promise<void> {
    return this.repo.deleteChallenges(this.db, { id: sha256(value) });
  }

  /** Checks a code (once per time step) or uses a recovery code. */
  async accept(userId: string, answer: SecondFactorAnswer): Promise<boolean> {
    if ('passkey' in answer) return (await this.passkeys.verify(answer.ceremony, answer.passkey, userId)) === userId;
    if ('recoveryCode' in answer) {
      const code = normalizeRecovery(answer.recoveryCode);
      if (code.length !== 10) return false;
      return this.repo.spendRecoveryCode(this.db, userId, sha256(code), this.clock.now());
    }
    const row = await this.repo.findTotp(this.db, userId);
    if (!row || row.confirmed_at === null) return false;
    const step = this.matchingStep(row.secret_sealed, userId, answer.code);
    return step !== null && this.repo.acceptStep(this.db, userId, step, null);
  }

  // ---- codes --------------------------------------------------------------------------------------

  private totp(secret: Secret, label: string): TOTP {
    return new TOTP({ issuer: 'Nexus', label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret });
  }

  private openSecret(sealedText: string, userId: string): Buffer {
    const plain = openWithMaster(this.keyring, sealedText, totpContext(userId));
    if (!plain) throw new AppError('http.internal', 'The key that sealed this authenticator secret is gone');
    return plain;
  }

  /** The time step a 6-digit code belongs to (now, or one step either side), or null. */
  private matchingStep(sealedText: string, userId: string, code: string): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const secret = Secret.fromBase32(this.openSecret(sealedText, userId).toString('utf8'));
    const now = this.clock.now();
    const delta = this.totp(secret, '').validate({ token: code, timestamp: now, window: 1 });
    if (delta === null) return null;
    return Math.floor(now / 1000 / PERIOD_S) + delta;
  }
}

/** Master-key rotation (in its transaction): every TOTP secret not under the new key sealed again
 * under it, so no secret depends on a key about to be dropped. */
export async function resealTotpSecrets(
  trx: Executor,
  keyring: Pick<MasterKeyring, 'find'>,
  target: { id: string; key: Buffer },
): Promise<number> {
  const repo = new SecondFactorsRepo();
  let n = 0;
  for (const row of await repo.allSealed(trx)) {
    const resealed = resealUnder(keyring, target, row.secret_sealed, totpContext(row.user_id));
    if (resealed === null) continue;
    await repo.updateSealed(trx, row.user_id, resealed);
    n++;
  }
  return n;
}
