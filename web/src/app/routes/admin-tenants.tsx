// /admin/tenants: create, rename, deactivate and delete tenants (global admins).
import { Plus } from 'lucide-react';
import { DialogButton } from '@/components/dialog-button';
import { EmptyState, PageHeader } from '@/components/ui/misc';
import { useMeData } from '@/features/auth/api/get-me';
import { CreateTenantDialog } from '@/features/tenants/components/create-tenant-dialog';
import { TenantsTable } from '@/features/tenants/components/tenants-table';

export function Component() {
  const me = useMeData();
  if (!me.can.manageTenants)
    return <EmptyState title="No access" description="Only global administrators manage tenants." />;

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Every tenant on this Nexus."
        actions={
          <DialogButton dialog={(p) => <CreateTenantDialog {...p} />}>
            <Plus /> New tenant
          </DialogButton>
        }
      />
      <TenantsTable />
    </>
  );
}
