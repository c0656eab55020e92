// The first global administrator: from the environment at start (NEXUS_ADMIN_EMAIL and
// NEXUS_ADMIN_PASSWORD), or else a one-time setup link in the log, valid for a day, that
// /setup/:token turns into the first admin account (refused once any user exists).
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config';
import type { Database } from '../../db/schema';
import type { RequestContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId, newSecret, sha256 } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { SYSTEM_CONTEXT } from '../audit/audit.service';
import type { UserDirectory } from '../users/user-directory';
import type { AuthService } from './auth.service';
import type { SessionIssue } from './auth.types';
import type { CredentialsRepo } from './credentials.repo';

const SETUP_TTL_MS = 24 * 3600_000;

export interface FirstAdminDeps {
  db: Kysely<Database>;
  users: UserDirectory;
  creds: CredentialsRepo;
  clock: Clock;
  config: Pick<Config, 'publicUrl' | 'admin'>;
  log: Logger;
  auth: Pick<AuthService, 'createUser' | 'issueSession'>;
}

export interface SetupBody {
  token: string;
  email: string;
  password: string;
  fullName?: string | undefined;
}

/** At start: the first admin from the environment, or a one-time setup link in the log. */
export async function bootstrapFirstAdmin(d: FirstAdminDeps): Promise<{ setupUrl: string | null }> {
  if ((await d.users.count()) > 0) return { setupUrl: null };
  if (d.config.admin) {
    const { email, password } = d.config.admin;
    try {
      await d.auth.createUser(SYSTEM_CONTEXT, { email, password, globalRole: 'admin' }, 'user.bootstrap');
      d.log.info({ email }, 'created the first global admin from NEXUS_ADMIN_EMAIL');
    } catch (err) {
      // Another instance did it first.
      if (!(err instanceof AppError && err.code === 'user.email_taken')) throw err;
    }
    return { setupUrl: null };
  }
  const token = newSecret(32);
  const now = d.clock.now();
  await d.creds.insertInvitation(d.db, {
    id: newId(),
    kind: 'setup',
    token_hash: sha256(token),
    tenant_id: null,
    email: null,
    role: null,
    created_by: null,
    created_at: now,
    expires_at: now + SETUP_TTL_MS,
    used_at: null,
  });
  const setupUrl = `${d.config.publicUrl}/setup/${token}`;
  return { setupUrl };
}

/** The setup link's form: the first admin account, then its session. */
export async function completeFirstAdminSetup(
  d: FirstAdminDeps,
  ctx: RequestContext,
  body: SetupBody,
): Promise<SessionIssue> {
  const inv = await d.creds.findInvitation(d.db, sha256(body.token));
  const now = d.clock.now();
  if (inv?.kind !== 'setup' || inv.used_at !== null || inv.expires_at <= now) {
    throw new AppError('auth.setup_invalid', 'This setup link is invalid or was already used');
  }
  if ((await d.users.count()) > 0) {
    throw new AppError('auth.setup_invalid', 'This server is already set up');
  }
  const user = await d.auth.createUser(ctx.audit, { ...body, globalRole: 'admin' }, 'user.bootstrap', async (trx) => {
    if (!(await d.creds.consumeInvitation(trx, inv.id, now))) {
      throw new AppError('auth.setup_invalid', 'This setup link is invalid or was already used');
    }
  });
  return d.auth.issueSession(ctx, user, 'auth.login');
}
