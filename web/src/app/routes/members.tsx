// /tenants/:tenantId/members: members, roles, guest restrictions and invitations.
import { Plus } from 'lucide-react';
import { DialogButton } from '@/components/dialog-button';
import { EmptyState, PageHeader } from '@/components/ui/misc';
import { useMeData } from '@/features/auth/api/get-me';
import { AddMemberDialog } from '@/features/members/components/add-member-dialog';
import { MembersTable } from '@/features/members/components/members-table';
import { canSeeMembers, useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const me = useMeData();

  if (!canSeeMembers(tenant))
    return <EmptyState title="No access" description="Your role cannot see this tenant's members." />;

  return (
    <>
      <PageHeader
        title="Members"
        description="Who works in this tenant, and as what."
        actions={
          tenant.can.manageMembers ? (
            <DialogButton dialog={(p) => <AddMemberDialog tenantId={tenant.id} {...p} />}>
              <Plus /> Add member
            </DialogButton>
          ) : null
        }
      />
      <MembersTable tenant={tenant} myId={me.user.id} />
    </>
  );
}
