// /tenants/:tenantId/members: members, roles, guest restrictions and invitations.
import { Plus } from 'lucide-react';
import { DialogButton } from '@/components/dialog-button';
import { Page } from '@/components/page';
import { useMeData } from '@/features/auth/api/get-me';
import { AddMemberDialog } from '@/features/members/components/add-member-dialog';
import { MembersTable } from '@/features/members/components/members-table';
import { PendingInvitations } from '@/features/members/components/pending-invitations';
import { canSeeMembers, useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const me = useMeData();
  return (
    <Page
      title="Members"
      description="Who works in this tenant, and as what."
      noAccess={!canSeeMembers(tenant) && "Your role cannot see this tenant's members."}
      actions={
        tenant.can.manageMembers ? (
          <DialogButton dialog={(p) => <AddMemberDialog tenantId={tenant.id} {...p} />}>
            <Plus /> Add member
          </DialogButton>
        ) : null
      }
    >
      <MembersTable tenant={tenant} myId={me.user.id} />
      {tenant.can.manageMembers ? <PendingInvitations tenantId={tenant.id} /> : null}
    </Page>
  );
}
