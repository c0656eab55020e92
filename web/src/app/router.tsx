// The route table (DESIGN.md §6b). Every page loads directly from a deep link; pages are split
// into their own chunks so the console's noVNC and the charts load only where used.
import { createBrowserRouter } from 'react-router';
import { Spinner } from '@/components/ui/misc';
import { AppShell } from './layouts/app-shell';
import { RequireAuth } from './layouts/require-auth';
import { TenantScope } from './layouts/tenant-scope';
import { RouteError } from './routes/route-error';

type PageModule = { Component: React.ComponentType };
const page = (load: () => Promise<PageModule>) => async () => ({ Component: (await load()).Component });

function LoadingPage() {
  return (
    <div className="flex h-full items-center justify-center">
      <Spinner className="size-6" />
    </div>
  );
}

export const router = createBrowserRouter([
  {
    // Shown while the first page's code loads (pages are lazy chunks).
    hydrateFallbackElement: <LoadingPage />,
    errorElement: <RouteError />,
    children: [
      { path: '/login', lazy: page(() => import('./routes/login')), errorElement: <RouteError /> },
      { path: '/signup', lazy: page(() => import('./routes/signup')), errorElement: <RouteError /> },
      { path: '/setup/:token', lazy: page(() => import('./routes/setup')), errorElement: <RouteError /> },
      { path: '/invitations/:token', lazy: page(() => import('./routes/invitation')), errorElement: <RouteError /> },
      { path: '/share/:token', lazy: page(() => import('./routes/share')), errorElement: <RouteError /> },
      {
        element: <RequireAuth />,
        errorElement: <RouteError />,
        children: [
          {
            // The console fills the window: tenant scope (branding, events) without the app frame.
            path: '/tenants/:tenantId/servers/:serverId/vms/:vmid/console',
            element: <TenantScope />,
            children: [{ index: true, lazy: page(() => import('./routes/console')) }],
          },
          {
            path: '/tenants/:tenantId/servers/:serverId/vms/:vmid/terminal',
            element: <TenantScope />,
            children: [{ index: true, lazy: page(() => import('./routes/terminal')) }],
          },
          {
            path: '/tenants/:tenantId/servers/:serverId/nodes/:node/shell',
            element: <TenantScope />,
            children: [{ index: true, lazy: page(() => import('./routes/node-shell')) }],
          },
          {
            element: <AppShell />,
            children: [
              { index: true, lazy: page(() => import('./routes/home-redirect')) },
              { path: 'tenants', lazy: page(() => import('./routes/tenants')) },
              {
                path: 'tenants/:tenantId',
                element: <TenantScope />,
                errorElement: <RouteError />,
                children: [
                  { index: true, lazy: page(() => import('./routes/tenant-dashboard')) },
                  { path: 'servers', lazy: page(() => import('./routes/servers')) },
                  { path: 'servers/:serverId', lazy: page(() => import('./routes/server-detail')) },
                  { path: 'servers/:serverId/vms/:vmid', lazy: page(() => import('./routes/guest')) },
                  { path: 'members', lazy: page(() => import('./routes/members')) },
                  { path: 'settings', lazy: page(() => import('./routes/tenant-settings')) },
                  { path: 'audit', lazy: page(() => import('./routes/tenant-audit')) },
                  { path: 'recordings', lazy: page(() => import('./routes/recordings')) },
                  { path: 'recordings/:recordingId', lazy: page(() => import('./routes/recording')) },
                  { path: 'alerts', lazy: page(() => import('./routes/tenant-alerts')) },
                  { path: 'explorer', lazy: page(() => import('./routes/explorer')) },
                  { path: 'monitoring', lazy: page(() => import('./routes/monitoring')) },
                  { path: '*', lazy: page(() => import('./routes/not-found')) },
                ],
              },
              { path: 'admin', lazy: page(() => import('./routes/admin-dashboard')) },
              { path: 'admin/tenants', lazy: page(() => import('./routes/admin-tenants')) },
              { path: 'admin/users', lazy: page(() => import('./routes/admin-users')) },
              { path: 'admin/identity-providers', lazy: page(() => import('./routes/admin-identity-providers')) },
              { path: 'admin/audit', lazy: page(() => import('./routes/admin-audit')) },
              { path: 'account', lazy: page(() => import('./routes/account')) },
              { path: 'account/tokens', lazy: page(() => import('./routes/account-tokens')) },
              { path: 'account/security', lazy: page(() => import('./routes/account-security')) },
              { path: '*', lazy: page(() => import('./routes/not-found')) },
            ],
          },
        ],
      },
    ],
  },
]);
