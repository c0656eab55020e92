// Factories with overrides (makeUser({globalRole: 'admin'})), writing through the real services.
import type { GlobalRole, TenantRole } from '@common/permissions';
import { newId } from '../../server/src/lib/ids';
import { SYSTEM_CONTEXT } from '../../server/src/modules/audit/audit.service';
import type { TestApp } from './app';
import { ApiClient } from './client';

export const PASSWORD = 'correct horse battery staple';
let counter = 0;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  client: ApiClient;
}

export async function makeUser(
  t: TestApp,
  opts: { globalRole?: GlobalRole; email?: string; login?: boolean } = {},
): Promise<TestUser> {
  const email = opts.email ?? `user${++counter}-${newId().slice(0, 8)}@example.test`;
  const row = await t.nexus.services.auth.createUser(
    SYSTEM_CONTEXT,
    { email, password: PASSWORD, globalRole: opts.globalRole ?? 'user' },
    'user.created',
  );
  const client = new ApiClient(t.url);
  if (opts.login !== false) {
    const res = await client.login(email, PASSWORD);
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  }
  return { id: row.id, email, password: PASSWORD, client };
}

export async function makeTenant(_t: TestApp, admin: TestUser, opts: { name?: string; slug?: string } = {}) {
  const n = ++counter;
  const res = await admin.client.post('/api/tenants', {
    name: opts.name ?? `Tenant ${n}`,
    slug: opts.slug ?? `tenant-${n}-${newId().slice(0, 6)}`,
  });
  if (res.status !== 201) throw new Error(`tenant create failed: ${res.status} ${res.text}`);
  return res.body as { id: string; name: string; slug: string };
}

export async function addMember(t: TestApp, tenantId: string, user: TestUser, role: TenantRole) {
  await t.database.db
    .insertInto('user_tenant_assignments')
    .values({ id: newId(), tenant_id: tenantId, user_id: user.id, role, created_at: Date.now() })
    .execute();
}
