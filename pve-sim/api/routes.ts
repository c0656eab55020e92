// Every path pve-sim serves, in the order directory indexes list their children.
import { RouteTable } from '../http/route-table';
import { accessRoutes } from './access.routes';
import { clusterRoutes } from './cluster.routes';
import { nodeConsoleRoutes } from './console.routes';
import { guestRoutes } from './guests.routes';
import { nodeRoutes } from './nodes.routes';
import { poolRoutes, rootRoutes, storageRoutes } from './root.routes';
import { nodeStorageRoutes } from './storage.routes';
import { vzdumpRoutes } from './vzdump.routes';

export function buildRouteTable(): RouteTable {
  return new RouteTable([
    ...rootRoutes,
    ...clusterRoutes,
    ...nodeRoutes,
    ...nodeStorageRoutes,
    ...vzdumpRoutes,
    ...nodeConsoleRoutes,
    ...guestRoutes('qemu'),
    ...guestRoutes('lxc'),
    ...storageRoutes,
    ...accessRoutes,
    ...poolRoutes,
  ]);
}
