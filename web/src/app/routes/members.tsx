// /tenants/:tenantId/members: members, roles, guest restrictions and invitations.
import { DialogButton } from '@/components/dialog-button';
import { Page } from '@/components/page';
import { useMeData } from '@/features/auth/api/get-me';
import { AddMemberDialog } from '@/features/members/components/add-member-dialog';
import { MembersTable } from '@/features/members/components/members-table';
import { PendingInvitations } from '@/features/members/components/pending-invitations';
import { mm } from '@/features/members/messages';
import { canSeeMembers, useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const me = useMeData();
  const add = <DialogButton label={mm.add} dialog={(p) => <AddMemberDialog tenantId={tenant.id} {...p} />} />;
  return (
    <Page text={mm} allowed={canSeeMembers(tenant)} actions={tenant.can.manageMembers ? add : null}>
      <MembersTable tenant={tenant} myId={me.user.id} />
      {tenant.can.manageMembers ? <PendingInvitations tenantId={tenant.id} /> : null}
    </Page>
  );
}
