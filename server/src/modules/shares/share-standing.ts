// Whether a console share link still opens its console, asked when the link's page loads, when a
// console is asked for, at the WebSocket upgrade and whenever live consoles are re-checked. A
// link stands while it is not revoked, expired or locked, the tenant's `consoleSharing` setting
// still allows its mode, and its creator could still share that console themselves (a link never
// outlives its creator's rights; it does outlive the session it was made in).

import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { guestAbilities } from '../../policy/policy';
import type { AuthService } from '../auth/auth.service';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { type ShareRow, SharesRepo } from './shares.repo';

export type { ShareRow };

export type ShareVerdict = { ok: true; row: ShareRow; viewOnly: boolean } | { ok: false; error: AppError };

/** One answer for a link that is unknown, revoked, expired, used up or dead with its creator's
 * rights: its holder learns nothing from the difference. */
export const shareGone = () => new AppError('share.not_found', 'This share link is invalid or has expired');

export interface ShareStandingDeps {
  db: Kysely<Database>;
  clock: Clock;
  settings: TenantSettingsReader;
  auth: Pick<AuthService, 'reauthorize'>;
}

export class ShareStanding {
  readonly repo = new SharesRepo();
  constructor(private readonly d: ShareStandingDeps) {}

  async byId(id: string): Promise<ShareVerdict> {
    return this.check(await this.repo.findById(this.d.db, id));
  }

  async check(row: ShareRow | undefined): Promise<ShareVerdict> {
    const fail = (error: AppError): ShareVerdict => ({ ok: false, error });
    if (!row || row.revoked_at !== null || row.expires_at <= this.d.clock.now()) return fail(shareGone());
    if (row.locked_at !== null) {
      return fail(new AppError('share.locked', 'This share link is locked after too many wrong PINs'));
    }
    const settings = await this.d.settings.get(row.tenant_id);
    if (settings.consoleSharing === 'off') {
      return fail(new AppError('share.disabled', 'Console sharing is off in this tenant'));
    }
    if (settings.consoleSharing === 'view' && row.mode === 'control') {
      return fail(new AppError('share.disabled', 'This tenant now allows only view links'));
    }
    const creator = await this.d.auth.reauthorize(
      { userId: row.created_by, sessionId: null, tokenId: null, standing: true },
      row.tenant_id,
      'console:share',
      { target: { serverId: row.server_id, vmid: row.vmid }, tokenScope: 'console' },
    );
    if (!creator) return fail(shareGone());
    // What the creator could share now (their console, the setting): a control link needs control.
    const could = guestAbilities(creator.actor, creator.scope, row.server_id, row.vmid, settings).share;
    if (could === 'none' || (could === 'view' && row.mode === 'control')) return fail(shareGone());
    return { ok: true, row, viewOnly: row.mode !== 'control' };
  }
}
