// Everything under /tenants/:tenantId: loads the tenant (a tenant the caller is not in answers
// 404, shown as "not found"), applies its branding and opens its realtime stream.
import { Link, Outlet } from 'react-router';
import { Button } from '@/components/ui/button';
import { EmptyState, Spinner } from '@/components/ui/misc';
import { TenantEventsProvider } from '@/features/realtime/components/tenant-events-provider';
import { useTenant, useTenantSettings } from '@/features/tenants/api/get-tenant';
import { useTenantBranding } from '@/features/tenants/components/tenant-branding';
import { useTenantId } from '@/features/tenants/hooks/use-current-tenant';
import { errorMessage, isApiError } from '@/lib/api-client';

export function TenantScope() {
  const tenantId = useTenantId();
  const tenant = useTenant(tenantId);
  const settings = useTenantSettings(tenantId);
  useTenantBranding(settings.data?.branding);

  if (tenant.isPending) {
    return (
      <div className="flex h-64 items-center justify-center">
        <Spinner className="size-6" />
      </div>
    );
  }
  if (tenant.isError && isApiError(tenant.error, 'auth.mfa_required')) {
    return (
      <div className="p-6">
        <EmptyState
          title="This tenant requires a second factor"
          description="Its administrators let in only accounts with an authenticator app. Set one up, then come back."
          action={
            <Button asChild>
              <Link to="/account/security">Set up a second factor</Link>
            </Button>
          }
        />
      </div>
    );
  }
  if (tenant.isError) {
    const notFound = isApiError(tenant.error) && (tenant.error.status === 404 || tenant.error.status === 400);
    return (
      <div className="p-6">
        <EmptyState
          title={notFound ? 'Tenant not found' : 'Could not load this tenant'}
          description={notFound ? 'It does not exist, or you are not a member of it.' : errorMessage(tenant.error)}
          action={
            <Button asChild variant="outline">
              <Link to="/tenants">Choose a tenant</Link>
            </Button>
          }
        />
      </div>
    );
  }
  return (
    <TenantEventsProvider tenantId={tenantId}>
      <Outlet />
    </TenantEventsProvider>
  );
}
