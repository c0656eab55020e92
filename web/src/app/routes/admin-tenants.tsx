// /admin/tenants: create, rename, deactivate and delete tenants (global admins).
import { Plus } from 'lucide-react';
import { DialogButton } from '@/components/dialog-button';
import { Page } from '@/components/page';
import { useMeData } from '@/features/auth/api/get-me';
import { CreateTenantDialog } from '@/features/tenants/components/create-tenant-dialog';
import { TenantsTable } from '@/features/tenants/components/tenants-table';

export function Component() {
  const me = useMeData();
  return (
    <Page
      title="Tenants"
      description="Every tenant on this Nexus."
      noAccess={!me.can.manageTenants && 'Only global administrators manage tenants.'}
      actions={
        <DialogButton dialog={(p) => <CreateTenantDialog {...p} />}>
          <Plus /> New tenant
        </DialogButton>
      }
    >
      <TenantsTable />
    </Page>
  );
}
