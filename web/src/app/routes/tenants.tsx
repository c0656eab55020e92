// /tenants: the tenant picker.
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/misc';
import { useMeData } from '@/features/auth/api/get-me';
import { TenantPicker } from '@/features/tenants/components/tenant-picker';

export function Component() {
  const me = useMeData();
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Choose where to work."
        actions={
          me.can.manageTenants ? (
            <Button asChild variant="outline">
              <Link to="/admin/tenants">Manage tenants</Link>
            </Button>
          ) : null
        }
      />
      <TenantPicker />
    </>
  );
}
