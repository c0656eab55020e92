// What the caller may do with a guest, from the `can` the server puts on each guest. Until every
// list carries it, the tenant's own `can` stands in (managing servers goes with power actions).
import type { Tenant } from '@common/schemas/tenants';
import type { Guest } from '../types';

export interface GuestAbilities {
  power: boolean;
  console: 'none' | 'view-only' | 'interactive';
}

export function guestAbilities(guest: Pick<Guest, 'can'>, tenant: Tenant): GuestAbilities {
  const can = guest.can;
  const power = can?.power ?? tenant.can.manageServers;
  const c = can?.console;
  const console = c === undefined || c === true ? 'interactive' : c === false ? 'none' : c;
  return { power, console };
}
