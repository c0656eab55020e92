// Every path pve-sim serves, in the order directory indexes list their children.
import { RouteTable } from '../http/route-table';
import { accessRoutes } from './access.routes';
import { clusterRoutes } from './cluster.routes';
import { guestRoutes } from './guests.routes';
import { nodeRoutes } from './nodes.routes';
import { poolRoutes, rootRoutes, storageRoutes } from './root.routes';

export function buildRouteTable(): RouteTable {
  return new RouteTable([
    ...rootRoutes,
    ...clusterRoutes,
    ...nodeRoutes,
    ...guestRoutes('qemu'),
    ...guestRoutes('lxc'),
    ...storageRoutes,
    ...accessRoutes,
    ...poolRoutes,
  ]);
}
