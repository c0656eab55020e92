// Passkeys (WebAuthn, `@simplewebauthn/server`): registered from the account's security page
// (several per user, named, removable), used as a second factor after the password, and for
// signing in without one (a discoverable credential says who it is; the authenticator verifies
// the person). The relying party is the page's own origin, which must be one Nexus allows. Each
// challenge is single use for five minutes; a signature counter that does not move forward is
// refused (a cloned authenticator).
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { AuthedContext } from '../../http/context';
import { originHint } from '../../http/origin-hint';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId, newSecret, sha256 } from '../../lib/ids';
import type { AuditService } from '../audit/audit.service';
import { PasskeysRepo } from './passkeys.repo';
import type { SecondFactorsRepo } from './second-factors.repo';

const CHALLENGE_TTL_MS = 5 * 60_000;
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export class PasskeysService {
  readonly repo = new PasskeysRepo();

  constructor(
    private readonly d: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      allowedOrigins: readonly string[];
      /** Clears "must enrol" once a passkey is there. */
      factorsRepo: Pick<SecondFactorsRepo, 'clearMustEnrol'>;
    },
  ) {}

  private checkOrigin(origin: string | undefined): string {
    if (!origin || !this.d.allowedOrigins.includes(origin)) {
      throw new AppError('auth.origin_refused', origin ? originHint(origin, this.d.allowedOrigins) : 'Origin required');
    }
    return origin;
  }

  async list(userId: string): Promise<PasskeyView[]> {
    return (await this.repo.list(this.d.db, userId)).map((p) => ({
      id: p.id,
      name: p.name,
      createdAt: new Date(p.created_at).toISOString(),
      lastUsedAt: p.last_used_at === null ? null : new Date(p.last_used_at).toISOString(),
    }));
  }

  hasPasskey(userId: string): Promise<boolean> {
    return this.repo.count(this.d.db, userId).then((n) => n > 0);
  }

  /** A ceremony's challenge, remembered under a random id (the cookie or the user's own slot). */
  private async remember(purpose: string, userId: string | null, challenge: string, origin: string): Promise<string> {
    const id = newSecret(32);
    await this.repo.putChallenge(this.d.db, {
      id: sha256(id),
      user_id: userId,
      purpose,
      challenge,
      origin,
      expires_at: this.d.clock.now() + CHALLENGE_TTL_MS,
    });
    return id;
  }

  private async recall(id: string | undefined, purpose: string) {
    const row = id ? await this.repo.takeChallenge(this.d.db, sha256(id), this.d.clock.now()) : undefined;
    if (!row || row.purpose !== purpose) {
      throw new AppError('passkey.challenge_expired', 'That took too long; try again');
    }
    return row;
  }

  // ---- registration (signed in) -----------------------------------------------------------------

  async registrationOptions(ctx: AuthedContext, origin: string | undefined) {
    const o = this.checkOrigin(origin);
    const existing = await this.repo.list(this.d.db, ctx.actor.userId);
    const options = await generateRegistrationOptions({
      rpName: 'Nexus',
      rpID: new URL(o).hostname,
      userName: ctx.actor.email,
      userID: new TextEncoder().encode(ctx.actor.userId),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credential_id })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    const ceremony = await this.remember('register', ctx.actor.userId, options.challenge, o);
    return { options, ceremony };
  }

  async register(ctx: AuthedContext, ceremony: string | undefined, name: string, response: RegistrationResponseJSON) {
    const row = await this.recall(ceremony, 'register');
    if (row.user_id !== ctx.actor.userId)
      throw new AppError('passkey.challenge_expired', 'That took too long; try again');
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: row.challenge,
      expectedOrigin: row.origin,
      expectedRPID: new URL(row.origin).hostname,
      requireUserVerification: false,
    }).catch(() => null);
    if (!result?.verified || !result.registrationInfo) {
      throw new AppError('passkey.refused', 'The passkey could not be verified');
    }
    const { credential } = result.registrationInfo;
    const now = this.d.clock.now();
    const id = newId();
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, {
        id,
        user_id: ctx.actor.userId,
        credential_id: credential.id,
        public_key: b64url(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ? JSON.stringify(credential.transports) : null,
        name,
        created_at: now,
        last_used_at: null,
      });
      await this.d.factorsRepo.clearMustEnrol(trx, ctx.actor.userId);
      await this.d.audit.record(trx, ctx.audit, {
        action: 'mfa.passkey_added',
        targetType: 'user',
        targetId: ctx.actor.userId,
        details: { name },
      });
    });
    return { id, name, createdAt: new Date(now).toISOString(), lastUsedAt: null };
  }

  async remove(ctx: AuthedContext, id: string): Promise<void> {
    const done = await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.repo.remove(trx, ctx.actor.userId, id))) return false;
      await this.d.audit.record(trx, ctx.audit, {
        action: 'mfa.passkey_removed',
        targetType: 'user',
        targetId: ctx.actor.userId,
        details: { passkeyId: id },
      });
      return true;
    });
    if (!done) throw new AppError('passkey.not_found', 'No such passkey');
  }

  // ---- sign-in -------------------------------------------------------------------------------------

  /** Options for a passkey sign-in: any of the user's (second factor), or whichever the
   * authenticator holds for this site (passwordless: `userId` null). */
  async authenticationOptions(origin: string | undefined, userId: string | null) {
    const o = this.checkOrigin(origin);
    const allow = userId ? await this.repo.list(this.d.db, userId) : [];
    const options = await generateAuthenticationOptions({
      rpID: new URL(o).hostname,
      userVerification: userId ? 'preferred' : 'required',
      allowCredentials: allow.map((p) => ({
        id: p.credential_id,
        transports: p.transports ? JSON.parse(p.transports) : undefined,
      })),
    });
    const ceremony = await this.remember(userId ? 'second-factor' : 'login', userId, options.challenge, o);
    return { options, ceremony };
  }

  /** The user a passkey answer proves (for `userId`'s second factor, or passwordless), or null. */
  async verify(ceremony: string | undefined, response: AuthenticationResponseJSON, userId: string | null) {
    const row = await this.recall(ceremony, userId ? 'second-factor' : 'login');
    if (userId && row.user_id !== userId) return null;
    const key = await this.repo.byCredential(this.d.db, String(response.id));
    if (!key || (userId && key.user_id !== userId)) return null;
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: row.challenge,
      expectedOrigin: row.origin,
      expectedRPID: new URL(row.origin).hostname,
      requireUserVerification: !userId,
      credential: {
        id: key.credential_id,
        publicKey: Buffer.from(key.public_key, 'base64url'),
        counter: key.counter,
      },
    }).catch(() => null);
    if (!result?.verified) return null;
    const next = result.authenticationInfo.newCounter;
    if (!(await this.repo.used(this.d.db, key.id, next, this.d.clock.now()))) return null;
    return key.user_id;
  }
}
