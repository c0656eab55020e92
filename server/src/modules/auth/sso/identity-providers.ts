// Identity providers: the one from the environment (id `default`) and those global admins manage
// (/api/admin/identity-providers), their client secrets sealed with the master key like the
// authenticator secrets, never shown again. The SSO round trip finds a provider here by id.
import type { IdentityProviderView } from '@common/schemas/identity-providers';
import type { Kysely } from 'kysely';
import type { Config, OidcProviderConfig } from '../../../config/config';
import type { Database } from '../../../db/schema';
import type { Executor } from '../../../db/tx';
import type { AuthedContext } from '../../../http/context';
import { AppError } from '../../../lib/app-error';
import type { Clock } from '../../../lib/clock';
import { type MasterKeyring, openWithMaster, resealUnder, sealWithMaster } from '../../../lib/crypto/master-keyring';
import type { AuditService } from '../../audit/audit.service';
import { type IdentityProviderRow, IdentityProvidersRepo } from './identity-providers.repo';
import { parseRoleMap } from './role-map';

type Row = IdentityProviderRow;
const secretContext = (id: string) => `idp:${id}`;

export interface IdentityProviderInput {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  /** Omitted on an update: the stored one stays; null: none (a public client). */
  clientSecret?: string | null | undefined;
  scopes?: string | undefined;
  groupsClaim?: string | undefined;
  roleMap?: string | undefined;
  allowLinking?: boolean | undefined;
  trustMfa?: boolean | undefined;
}

export class IdentityProviders {
  constructor(
    private readonly d: {
      db: Kysely<Database>;
      config: Pick<Config, 'oidc'>;
      keyring: MasterKeyring;
      audit: AuditService;
      clock: Clock;
    },
  ) {}

  private readonly repo = new IdentityProvidersRepo();

  private rows() {
    return this.repo.all(this.d.db);
  }

  private toConfig(r: Row): OidcProviderConfig {
    const map = parseRoleMap(r.role_map);
    return {
      id: r.id,
      issuer: r.issuer,
      clientId: r.client_id,
      clientSecret: r.client_secret_sealed ? this.openSecret(r) : undefined,
      name: r.name,
      scopes: r.scopes,
      groupsClaim: r.groups_claim,
      roleMap: 'entries' in map ? map.entries : [],
      allowLinking: r.allow_linking === 1,
      trustMfa: r.trust_mfa === 1,
    };
  }

  private openSecret(r: Row): string {
    const plain = openWithMaster(this.d.keyring, r.client_secret_sealed ?? '', secretContext(r.id));
    if (!plain) throw new AppError('sso.failed', 'The key that sealed this provider’s secret is gone');
    return plain.toString('utf8');
  }

  /** Every provider a sign-in may use, the environment's first. */
  async all(): Promise<OidcProviderConfig[]> {
    const env = this.d.config.oidc;
    return [...(env ? [env] : []), ...(await this.rows()).map((r) => this.toConfig(r))];
  }

  async find(id: string): Promise<OidcProviderConfig | undefined> {
    const env = this.d.config.oidc;
    if (env && env.id === id) return env;
    const row = await this.repo.find(this.d.db, id);
    return row ? this.toConfig(row) : undefined;
  }

  async list(): Promise<IdentityProviderView[]> {
    const env = this.d.config.oidc;
    const envView: IdentityProviderView[] = env
      ? [
          {
            id: env.id,
            name: env.name,
            issuer: env.issuer,
            clientId: env.clientId,
            hasClientSecret: Boolean(env.clientSecret),
            scopes: env.scopes,
            groupsClaim: env.groupsClaim,
            roleMap: env.roleMap
              .map((e) => `${e.group}=${'global' in e.target ? 'global:admin' : `${e.target.tenant}:${e.target.role}`}`)
              .join(','),
            allowLinking: env.allowLinking,
            trustMfa: env.trustMfa,
            fromEnvironment: true,
          },
        ]
      : [];
    return [
      ...envView,
      ...(await this.rows()).map((r) => ({
        id: r.id,
        name: r.name,
        issuer: r.issuer,
        clientId: r.client_id,
        hasClientSecret: r.client_secret_sealed !== null,
        scopes: r.scopes,
        groupsClaim: r.groups_claim,
        roleMap: r.role_map,
        allowLinking: r.allow_linking === 1,
        trustMfa: r.trust_mfa === 1,
        fromEnvironment: false,
      })),
    ];
  }

  /** Creates (or replaces) a managed provider; the id `default` is the environment's. */
  async save(ctx: AuthedContext, input: IdentityProviderInput, creating: boolean): Promise<void> {
    if (input.id === 'default' || input.id === this.d.config.oidc?.id) {
      throw new AppError('idp.read_only', 'This provider comes from the environment (NEXUS_OIDC_*)');
    }
    const map = parseRoleMap(input.roleMap);
    if ('error' in map) throw new AppError('http.bad_request', `Role map: ${map.error}`);
    const now = this.d.clock.now();
    const existing = await this.repo.find(this.d.db, input.id);
    if (creating && existing) throw new AppError('idp.exists', 'A provider with this id exists');
    if (!creating && !existing) throw new AppError('idp.not_found', 'No such provider');
    const sealed =
      input.clientSecret === undefined
        ? (existing?.client_secret_sealed ?? null)
        : input.clientSecret === null
          ? null
          : sealWithMaster(this.d.keyring, Buffer.from(input.clientSecret, 'utf8'), secretContext(input.id));
    const row: Row = {
      id: input.id,
      name: input.name,
      issuer: input.issuer,
      client_id: input.clientId,
      client_secret_sealed: sealed,
      scopes: input.scopes ?? existing?.scopes ?? 'openid email profile groups',
      groups_claim: input.groupsClaim ?? existing?.groups_claim ?? 'groups',
      role_map: input.roleMap ?? existing?.role_map ?? '',
      allow_linking: (input.allowLinking ?? existing?.allow_linking === 1) ? 1 : 0,
      trust_mfa: (input.trustMfa ?? existing?.trust_mfa === 1) ? 1 : 0,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.put(trx, row, existing !== undefined);
      await this.d.audit.record(trx, ctx.audit, {
        action: creating ? 'idp.created' : 'idp.updated',
        targetType: 'identity_provider',
        targetId: row.id,
        details: {
          name: row.name,
          issuer: row.issuer,
          roleMap: row.role_map,
          allowLinking: row.allow_linking === 1,
          trustMfa: row.trust_mfa === 1,
          clientSecretChanged: input.clientSecret !== undefined,
        },
      });
    });
  }

  async remove(ctx: AuthedContext, id: string): Promise<void> {
    const done = await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.repo.remove(trx, id))) return false;
      await this.d.audit.record(trx, ctx.audit, {
        action: 'idp.deleted',
        targetType: 'identity_provider',
        targetId: id,
      });
      return true;
    });
    if (!done) throw new AppError('idp.not_found', 'No such provider');
  }
}

/** Master-key rotation (in its transaction): every provider secret sealed again under the new key. */
export async function resealProviderSecrets(
  trx: Executor,
  keyring: Pick<MasterKeyring, 'find'>,
  target: { id: string; key: Buffer },
): Promise<number> {
  let n = 0;
  const repo = new IdentityProvidersRepo();
  for (const row of await repo.all(trx)) {
    if (!row.client_secret_sealed) continue;
    const resealed = resealUnder(keyring, target, row.client_secret_sealed, secretContext(row.id));
    if (resealed === null) continue;
    await repo.setSealed(trx, row.id, resealed);
    n++;
  }
  return n;
}
