// Personal API tokens: `nxs_` + 256 random bits, shown once, stored as SHA-256, with scopes
// (read, operate, console) that narrow what the owner's role allows. Revoking one ends what it
// holds open (consoles, event streams) on every instance.

import { DEFAULT_TOKEN_SCOPES, TOKEN_SCOPES, type TokenScope } from '@common/permissions';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { AuthedContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId, newSecret, sha256 } from '../../lib/ids';
import type { EventHub } from '../../realtime/hub';
import type { AuditService } from '../audit/audit.service';
import type { CredentialsRepo } from './credentials.repo';

export const TOKEN_PREFIX = 'nxs_';

/** Stored as a comma-separated list in catalogue order; unknown words are dropped (fail closed). */
export function parseTokenScopes(text: string): TokenScope[] {
  const words = new Set(text.split(','));
  return TOKEN_SCOPES.filter((s) => words.has(s));
}

const formatTokenScopes = (scopes: readonly TokenScope[]): string =>
  TOKEN_SCOPES.filter((s) => scopes.includes(s)).join(',');

export interface ApiTokensDeps {
  db: Kysely<Database>;
  creds: CredentialsRepo;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
}

export class ApiTokensService {
  constructor(private readonly d: ApiTokensDeps) {}

  async createToken(
    ctx: AuthedContext,
    name: string,
    expiresAt: number | null,
    requested: readonly TokenScope[] = DEFAULT_TOKEN_SCOPES,
  ) {
    if (expiresAt !== null && expiresAt <= this.d.clock.now()) {
      throw new AppError('http.validation_failed', 'expiresAt must be in the future', {
        details: [{ path: 'expiresAt', message: 'must be in the future' }],
      });
    }
    const token = `${TOKEN_PREFIX}${newSecret(32)}`;
    const id = newId();
    const now = this.d.clock.now();
    const scopes = formatTokenScopes(requested);
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.creds.insertToken(trx, {
        id,
        user_id: ctx.actor.userId,
        name,
        token_hash: sha256(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        scopes,
        created_at: now,
        last_used_at: null,
        expires_at: expiresAt,
      });
      await this.d.audit.record(trx, ctx.audit, {
        action: 'token.created',
        targetType: 'api_token',
        targetId: id,
        details: { name, scopes: parseTokenScopes(scopes) },
      });
    });
    return {
      id,
      name,
      token,
      scopes: parseTokenScopes(scopes),
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    };
  }

  listTokens(ctx: AuthedContext) {
    return this.d.creds.listTokens(this.d.db, ctx.actor.userId);
  }

  async revokeToken(ctx: AuthedContext, id: string): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.creds.deleteToken(trx, ctx.actor.userId, id))) {
        throw new AppError('token.not_found', 'Token not found');
      }
      await this.d.audit.record(trx, ctx.audit, {
        action: 'token.revoked',
        targetType: 'api_token',
        targetId: id,
      });
    });
    // Consoles and event streams opened with the token end with it.
    await this.d.hub.publishSystem({
      type: 'revoke.token',
      userId: ctx.actor.userId,
      tokenId: id,
      reason: 'token revoked',
    });
  }
}
