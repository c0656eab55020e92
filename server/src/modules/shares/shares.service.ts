// Console share links (DESIGN.md §9 "Console sharing"): members who may share a console create a
// time-limited link for one guest, view-only or with control, optionally limited in uses and
// behind a PIN; its holder opens that one console without an account, through the same tickets,
// relay, view-only enforcement and limits as members' consoles (console-tickets.ts). Whether a
// link still stands is share-standing.ts; revoking one ends its live consoles on every instance.

import type { ConsoleTicket } from '@common/schemas/consoles';
import type { CreateShareBody, PublicShare, Share, ShareCreated, ShareMode } from '@common/schemas/shares';
import { SHARE_PIN_FAILURES } from '@common/schemas/shares';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { RequestContext, TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId, newSecret, sha256 } from '../../lib/ids';
import { guestAbilities } from '../../policy/policy';
import type { EventHub } from '../../realtime/hub';
import type { AuditContext, AuditService } from '../audit/audit.service';
import { hashPassword, verifyPassword } from '../auth/password';
import type { ConsolesService } from '../consoles/consoles.service';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import type { TenantsService } from '../tenants/tenants.service';
import { type ShareStanding, shareGone } from './share-standing';
import type { ShareRow } from './shares.repo';

export interface SharesServiceDeps {
  db: Kysely<Database>;
  standing: ShareStanding;
  consoles: Pick<ConsolesService, 'upstream' | 'tickets' | 'openThroughShares'>;
  tenants: Pick<TenantsService, 'publicFace'>;
  settings: TenantSettingsReader;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
  /** NEXUS_PUBLIC_URL: links are made of it. */
  publicUrl: string;
}

type GuestRef = { serverId: string; vmid: number };

export class SharesService {
  /** Requests per minute and address on the recipient's routes: enough for a person retyping a
   * PIN, far too few to guess one (the lock after 10 failures stops that anyway, on every
   * instance). Tests raise it. */
  tuning = { recipientRequestsPerMinute: 20 };

  constructor(private readonly d: SharesServiceDeps) {}

  private get repo() {
    return this.d.standing.repo;
  }

  // ---- the tenant's side --------------------------------------------------------------------------

  /** POST …/vms/:vmid/shares: the caller may share only a console they could open, view links
   * only if their own is view-only, and never more than the tenant's `consoleSharing`. */
  async create(ctx: TenantContext, guest: GuestRef, body: CreateShareBody): Promise<ShareCreated> {
    const tenantId = ctx.scope.tenantId;
    const settings = await this.d.settings.get(tenantId);
    if (settings.consoleSharing === 'off') {
      throw new AppError('share.disabled', 'Console sharing is off in this tenant (setting consoleSharing)');
    }
    if (settings.consoleSharing === 'view' && body.mode === 'control') {
      throw new AppError('share.mode_not_allowed', 'This tenant allows view links only (setting consoleSharing)');
    }
    const ability = guestAbilities(ctx.actor, ctx.scope, guest.serverId, guest.vmid, settings).console;
    if (ability === 'none') throw new AppError('console.disabled', 'You cannot open this console, so not share it');
    if (ability === 'view-only' && body.mode === 'control') {
      throw new AppError('share.mode_not_allowed', 'Your own console is view-only: you can share view links only');
    }
    const location = await this.d.consoles.upstream.locate(tenantId, guest.serverId, guest.vmid).catch((err) => {
      if (err instanceof AppError && err.code === 'server.not_found')
        throw new AppError('vm.not_found', 'Vm not found');
      throw err;
    });
    // Containers share the console their page opens first; VMs their graphical one.
    const kind = location.type === 'lxc' && settings.defaultConsole.lxc === 'terminal' ? 'terminal' : 'vnc';
    const token = newSecret(32);
    const now = this.d.clock.now();
    const row: ShareRow = {
      id: newId(),
      token_hash: sha256(token),
      tenant_id: tenantId,
      server_id: guest.serverId,
      vmid: guest.vmid,
      vm_type: location.type,
      kind,
      mode: body.mode,
      note: body.note ?? null,
      created_by: ctx.actor.userId,
      created_at: now,
      expires_at: now + body.expiresInMinutes * 60_000,
      max_uses: body.maxUses ?? null,
      uses: 0,
      pin_hash: body.pin ? await hashPassword(body.pin) : null,
      pin_failures: 0,
      locked_at: null,
      revoked_at: null,
    };
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, row);
      await this.d.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'share.created',
        targetType: 'vm',
        targetId: `${guest.serverId}:${guest.vmid}`,
        details: {
          shareId: row.id,
          serverId: guest.serverId,
          vmid: guest.vmid,
          mode: row.mode,
          kind,
          expiresAt: new Date(row.expires_at).toISOString(),
          maxUses: row.max_uses,
          withPin: row.pin_hash !== null,
          note: row.note,
        },
      });
    });
    return {
      id: row.id,
      url: `${this.d.publicUrl.replace(/\/+$/, '')}/share/${token}`,
      expiresAt: new Date(row.expires_at).toISOString(),
      mode: body.mode,
    };
  }

  /** GET …/vms/:vmid/shares: the guest's links that have not ended, with who is on them now. */
  async list(ctx: TenantContext, guest: GuestRef): Promise<Share[]> {
    const rows = await this.repo.activeForGuest(
      this.d.db,
      ctx.scope.tenantId,
      guest.serverId,
      guest.vmid,
      this.d.clock.now(),
    );
    const open = await this.d.consoles.openThroughShares(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      serverId: r.server_id,
      vmid: r.vmid,
      mode: r.mode as ShareMode,
      kind: r.kind === 'terminal' ? 'terminal' : 'vnc',
      note: r.note,
      createdBy: { id: r.created_by, email: r.creator_email, fullName: r.creator_name },
      createdAt: new Date(r.created_at).toISOString(),
      expiresAt: new Date(r.expires_at).toISOString(),
      maxUses: r.max_uses,
      uses: r.uses,
      pinRequired: r.pin_hash !== null,
      locked: r.locked_at !== null,
      watching: open
        .filter((o) => o.share_id === r.id)
        .map((o) => ({ consoleId: o.id, ip: o.client_ip, openedAt: new Date(o.opened_at ?? 0).toISOString() })),
    }));
  }

  /** DELETE …/vms/:vmid/shares/:shareId: the link stops working and its consoles close (≤ 5 s). */
  async revoke(ctx: TenantContext, guest: GuestRef, shareId: string): Promise<void> {
    const tenantId = ctx.scope.tenantId;
    const done = await this.d.db.transaction().execute(async (trx) => {
      const revoked = await this.repo.revoke(trx, shareId, { tenantId, ...guest }, this.d.clock.now());
      if (!revoked) return false;
      await this.d.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'share.revoked',
        targetType: 'vm',
        targetId: `${guest.serverId}:${guest.vmid}`,
        details: { shareId, serverId: guest.serverId, vmid: guest.vmid },
      });
      return true;
    });
    if (!done) throw shareGone();
    await this.d.hub.publishSystem({ type: 'revoke.share', shareId, reason: 'the share link was revoked' });
  }

  // ---- the recipient's side (no account) ----------------------------------------------------------

  /** GET /api/shares/<token>: what the link's page shows before the console. */
  async describe(token: string): Promise<PublicShare> {
    const verdict = await this.d.standing.check(await this.repo.findByTokenHash(this.d.db, sha256(token)));
    if (!verdict.ok) throw verdict.error;
    const row = verdict.row;
    const tenant = await this.d.tenants.publicFace(row.tenant_id);
    if (!tenant) throw shareGone();
    const settings = await this.d.settings.get(row.tenant_id);
    const location = await this.d.consoles.upstream.locate(row.tenant_id, row.server_id, row.vmid).catch(() => null);
    return {
      tenant: { name: tenant.name, logoUrl: tenant.logoUrl, primaryColor: settings.branding.primaryColor },
      guest: { name: location?.name ?? null, vmid: row.vmid, type: row.vm_type === 'lxc' ? 'lxc' : 'qemu' },
      kind: row.kind === 'terminal' ? 'terminal' : 'vnc',
      mode: row.mode as ShareMode,
      expiresAt: new Date(row.expires_at).toISOString(),
      pinRequired: row.pin_hash !== null,
    };
  }

  /** POST /api/shares/<token>/console: the PIN if the link has one (10 wrong ones lock it), then
   * a console ticket; a use is counted only when a ticket is issued. Uses and PIN failures are
   * audited with the recipient's address and browser. */
  async openConsole(ctx: RequestContext, token: string, pin: string | undefined): Promise<ConsoleTicket> {
    const verdict = await this.d.standing.check(await this.repo.findByTokenHash(this.d.db, sha256(token)));
    if (!verdict.ok) throw verdict.error;
    const row = verdict.row;
    const audit: AuditContext = { ...ctx.audit, userId: null, label: `share link ${row.id.slice(0, 8)}` };
    const entry = { tenantId: row.tenant_id, targetType: 'vm', targetId: `${row.server_id}:${row.vmid}` };
    if (row.pin_hash !== null) {
      if (!pin) throw new AppError('share.pin_required', 'This share link needs its PIN');
      if (!(await verifyPassword(row.pin_hash, pin))) {
        const failures = await this.repo.failPin(this.d.db, row.id, SHARE_PIN_FAILURES, this.d.clock.now());
        const locked = failures >= SHARE_PIN_FAILURES;
        await this.d.audit.recordAlone(audit, {
          ...entry,
          action: locked ? 'share.locked' : 'share.pin_failed',
          result: 'denied',
          details: { shareId: row.id, failures, ip: ctx.ip, userAgent: ctx.userAgent },
        });
        if (locked) throw new AppError('share.locked', 'This share link is locked after too many wrong PINs');
        const attemptsLeft = SHARE_PIN_FAILURES - failures;
        throw new AppError('share.pin_invalid', `Wrong PIN (${attemptsLeft} attempts left)`, {
          details: { attemptsLeft },
        });
      }
    }
    const ticket = await this.d.consoles.tickets.issueForShare(row, verdict.viewOnly, (trx) =>
      this.repo.takeUse(trx, row.id, this.d.clock.now()),
    );
    await this.d.audit.recordAlone(audit, {
      ...entry,
      action: 'share.used',
      details: {
        shareId: row.id,
        serverId: row.server_id,
        vmid: row.vmid,
        mode: row.mode,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      },
    });
    return ticket;
  }

  /** Periodic: links ended more than a week ago are forgotten. */
  async housekeeping(): Promise<void> {
    await this.repo.deleteEndedBefore(this.d.db, this.d.clock.now() - 7 * 24 * 3600_000);
  }
}
