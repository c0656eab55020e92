import { describe, expect, it } from 'vitest';
import type { ServerRow } from '../servers/servers.repo';
import { inventoryServer } from './server-directory';

const row = (over: Partial<ServerRow>) =>
  ({
    id: 's',
    tenant_id: 't',
    name: 'pve',
    is_active: 1,
    updated_at: 1,
    connection_timeout_ms: 5000,
    learned_timeout_ms: null,
    ...over,
  }) as ServerRow;

describe('inventoryServer', () => {
  it('takes the learned timeout as the deadline, never above the configured one', () => {
    expect(inventoryServer(row({})).timeoutMs).toBe(5000);
    expect(inventoryServer(row({ learned_timeout_ms: 1200 })).timeoutMs).toBe(1200);
    expect(inventoryServer(row({ learned_timeout_ms: 9000 })).timeoutMs).toBe(5000);
    expect(inventoryServer(row({ learned_timeout_ms: 0 })).timeoutMs).toBe(5000);
  });

  it('versions a server by its last edit', () => {
    expect(inventoryServer(row({ updated_at: 1 })).version).not.toBe(inventoryServer(row({ updated_at: 2 })).version);
    expect(inventoryServer(row({ is_active: 0 })).active).toBe(false);
  });
});
