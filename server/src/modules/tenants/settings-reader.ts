// A tenant's settings as every module reads them: defaults filled in, cached for a few seconds
// (they are read on every console, health check and guest list). A change on this instance drops
// the entry at once; another instance's change is seen within the TTL.
import type { TenantSettings } from '@common/schemas/tenants';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Clock } from '../../lib/clock';
import { parseSettings } from './settings';
import type { TenantsRepo } from './tenants.repo';

export const SETTINGS_TTL_MS = 5_000;

export class TenantSettingsReader {
  private readonly cache = new Map<string, { at: number; settings: TenantSettings }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: TenantsRepo,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string): Promise<TenantSettings> {
    const now = this.clock.now();
    const cached = this.cache.get(tenantId);
    if (cached && now - cached.at < SETTINGS_TTL_MS) return cached.settings;
    const settings = parseSettings(await this.repo.settingsJson(this.db, tenantId));
    this.cache.set(tenantId, { at: now, settings });
    return settings;
  }

  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}
