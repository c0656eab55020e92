// /admin/tenants: create, rename, deactivate and delete tenants (global admins).
import { DialogButton } from '@/components/dialog-button';
import { Page } from '@/components/page';
import { useMeData } from '@/features/auth/api/get-me';
import { CreateTenantDialog } from '@/features/tenants/components/create-tenant-dialog';
import { TenantsTable } from '@/features/tenants/components/tenants-table';
import { tenantsPage, tm } from '@/features/tenants/messages';

export function Component() {
  const me = useMeData();
  const create = <DialogButton label={tm.newTenant} dialog={(p) => <CreateTenantDialog {...p} />} />;
  return (
    <Page text={tenantsPage} allowed={me.can.manageTenants} actions={create}>
      <TenantsTable />
    </Page>
  );
}
