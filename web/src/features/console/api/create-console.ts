// POST …/vms/:vmid/console: a fresh single-use ticket; asked again for every (re)connection.
import type { ConsoleTicket } from '@common/schemas/consoles';
import { guestPath } from '@/features/vms/api/paths';
import { api } from '@/lib/api-client';

export function createConsole(tenantId: string, serverId: string, vmid: number): Promise<ConsoleTicket> {
  return api(`${guestPath(tenantId, serverId, vmid)}/console`, { method: 'POST' });
}
