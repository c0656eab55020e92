// /tenants/:tenantId/members: members, roles, guest restrictions and invitations.
import type { TenantRole } from '@common/permissions';
import { Plus, Trash, Users } from 'lucide-react';
import { useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DialogFooter } from '@/components/ui/dialog';
import { Input, NativeSelect } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { useMeData } from '@/features/auth/api/get-me';
import { type AddMemberResult, useAddMember } from '@/features/members/api/add-member';
import { type TenantMember, useMembers } from '@/features/members/api/get-members';
import { useRemoveMember } from '@/features/members/api/remove-member';
import { useSetMemberRole } from '@/features/members/api/set-member-role';
import { AssignmentsDialog } from '@/features/members/components/assignments-dialog';
import { canSeeMembers, useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { errorMessage, fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';

const ROLE_HELP: Record<TenantRole, string> = {
  admin: 'Everything in the tenant: settings, members, servers, consoles, API writes.',
  manager: 'Servers, power actions, consoles, audit log; no settings or members.',
  viewer: 'Sees servers and guests; console per the tenant setting (view-only by default).',
};

function AddMemberDialog({
  tenantId,
  open,
  onOpenChange,
}: {
  tenantId: string;
  open: boolean;
  onOpenChange(o: boolean): void;
}) {
  const add = useAddMember(tenantId);
  // Global admins add existing users at once; everyone else invites, and the person accepts.
  const direct = useMeData().can.manageUsers;
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TenantRole>('viewer');
  const [result, setResult] = useState<AddMemberResult | null>(null);
  const errs = fieldErrors(add.error);
  const close = (o: boolean) => {
    if (!o) {
      setResult(null);
      setEmail('');
      add.reset();
    }
    onOpenChange(o);
  };
  return (
    <FormDialog
      open={open}
      onOpenChange={close}
      title={direct ? 'Add a member' : 'Invite a member'}
      description={
        direct
          ? 'An existing user joins at once; anyone else gets a one-time invitation link.'
          : 'You get a one-time invitation link to send. They join when they accept it, signed in to their account or by creating one.'
      }
      error={add.error}
      onSubmit={() => add.mutate({ email, role }, { onSuccess: setResult })}
      submitLabel={direct ? 'Add member' : 'Create invitation'}
      submitDisabled={!email || add.isPending}
      result={
        result ? (
          <div className="grid gap-3">
            {result.member ? (
              <Alert>
                {result.member.email} is now a {result.member.role}.
              </Alert>
            ) : null}
            {result.invitation ? (
              <>
                <Alert>
                  Send this link to {result.invitation.email}. They join as {result.invitation.role} when they accept
                  it. It works once, until {formatDateTime(result.invitation.expiresAt)}.
                </Alert>
                <code className="block rounded-md border bg-muted p-3 text-xs break-all" data-testid="invitation-url">
                  {result.invitation.url}
                </code>
                <CopyButton value={result.invitation.url} label="Copy link" />
              </>
            ) : null}
            <DialogFooter>
              <Button onClick={() => close(false)}>Done</Button>
            </DialogFooter>
          </div>
        ) : null
      }
    >
      <Field id="member-email" label="Email" error={errs.email}>
        <Input id="member-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field id="member-role" label="Role" hint={ROLE_HELP[role]}>
        <NativeSelect id="member-role" value={role} onChange={(e) => setRole(e.target.value as TenantRole)}>
          <option value="viewer">Viewer</option>
          <option value="manager">Manager</option>
          <option value="admin">Admin</option>
        </NativeSelect>
      </Field>
    </FormDialog>
  );
}

export function Component() {
  const tenant = useCurrentTenant();
  const me = useMeData();
  const members = useMembers(tenant.id, canSeeMembers(tenant));
  const setRole = useSetMemberRole(tenant.id);
  const remove = useRemoveMember(tenant.id);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<TenantMember | null>(null);
  const [removing, setRemoving] = useState<TenantMember | null>(null);
  const manage = tenant.can.manageMembers;

  if (!canSeeMembers(tenant))
    return <EmptyState title="No access" description="Your role cannot see this tenant's members." />;

  return (
    <>
      <PageHeader
        title="Members"
        description="Who works in this tenant, and as what."
        actions={
          manage ? (
            <Button onClick={() => setAdding(true)}>
              <Plus /> Add member
            </Button>
          ) : null
        }
      />
      {members.isPending ? (
        <Skeleton className="h-64" />
      ) : members.isError ? (
        <ErrorAlert error={members.error} />
      ) : members.data.members.length === 0 ? (
        <EmptyState icon={<Users />} title="No members yet" />
      ) : (
        <Card>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Member</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Guests</TableHead>
                <TableHead className="hidden md:table-cell">Since</TableHead>
                {manage ? (
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.data.members.map((m) => (
                <TableRow key={m.userId}>
                  <TableCell className="max-w-64">
                    <span className="block truncate font-medium">{m.fullName || m.email}</span>
                    <span className="block truncate text-xs text-muted-foreground">
                      {m.email}
                      {m.userId === me.user.id ? ' · you' : ''}
                    </span>
                  </TableCell>
                  <TableCell>
                    {manage ? (
                      <NativeSelect
                        aria-label={`Role of ${m.email}`}
                        className="w-32"
                        value={m.role}
                        onChange={(e) =>
                          setRole.mutate(
                            { userId: m.userId, role: e.target.value as TenantRole },
                            {
                              onSuccess: (r) => toast({ variant: 'success', title: `${m.email} is now ${r.role}` }),
                              onError: (err) =>
                                toast({ variant: 'error', title: 'Role not changed', description: errorMessage(err) }),
                            },
                          )
                        }
                      >
                        <option value="viewer">Viewer</option>
                        <option value="manager">Manager</option>
                        <option value="admin">Admin</option>
                      </NativeSelect>
                    ) : (
                      <Badge variant="secondary">{m.role}</Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    {m.restricted ? (
                      <Badge variant="warning">restricted</Badge>
                    ) : (
                      <span className="text-sm text-muted-foreground">all</span>
                    )}
                  </TableCell>
                  <TableCell className="hidden whitespace-nowrap md:table-cell">
                    {formatDateTime(m.createdAt)}
                  </TableCell>
                  {manage ? (
                    <TableCell>
                      <div className="flex justify-end gap-1">
                        <Button variant="ghost" size="sm" onClick={() => setEditing(m)}>
                          Guest access
                        </Button>
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`Remove ${m.email}`}
                          onClick={() => setRemoving(m)}
                        >
                          <Trash />
                        </Button>
                      </div>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
      <AddMemberDialog tenantId={tenant.id} open={adding} onOpenChange={setAdding} />
      <AssignmentsDialog tenantId={tenant.id} member={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Remove ${removing?.email ?? ''}?`}
        description="They lose access to this tenant at once; their consoles close."
        confirmLabel="Remove"
        pending={remove.isPending}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.userId, {
            onSuccess: () => setRemoving(null),
            onError: (e) => toast({ variant: 'error', title: 'Not removed', description: errorMessage(e) }),
          })
        }
      />
    </>
  );
}
