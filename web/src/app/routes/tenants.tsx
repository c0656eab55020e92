// /tenants: the tenant picker.
import { LinkButton } from '@/components/link-button';
import { Page } from '@/components/page';
import { useMeData } from '@/features/auth/api/get-me';
import { TenantPicker } from '@/features/tenants/components/tenant-picker';
import { pickerPage, tm } from '@/features/tenants/messages';

export function Component() {
  const me = useMeData();
  const manage = me.can.manageTenants ? <LinkButton to="/admin/tenants" label={tm.manageTenants} /> : null;
  return (
    <Page text={pickerPage} actions={manage}>
      <TenantPicker />
    </Page>
  );
}
