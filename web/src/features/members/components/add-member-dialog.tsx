// Adding someone to the tenant by e-mail: global admins add existing users at once, everyone else
// gets a one-time invitation link to send.
import type { TenantRole } from '@common/permissions';
import { useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { DialogFooter, type DialogOpenProps } from '@/components/ui/dialog';
import { Field } from '@/components/ui/label';
import { useMeData } from '@/features/auth/api/get-me';
import { fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { type AddMemberResult, useAddMember } from '../api/add-member';
import { TenantRoleSelect } from './tenant-role-select';

const ROLE_HELP: Record<TenantRole, string> = {
  admin: 'Everything in the tenant: settings, members, servers, consoles, API writes.',
  manager: 'Servers, power actions, consoles, audit log; no settings or members.',
  viewer: 'Sees servers and guests; console per the tenant setting (view-only by default).',
};

export function AddMemberDialog({ tenantId, open, onOpenChange }: DialogOpenProps & { tenantId: string }) {
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
      <TextField
        id="member-email"
        label="Email"
        error={errs.email}
        type="email"
        required
        value={email}
        onValueChange={setEmail}
      />
      <Field id="member-role" label="Role" hint={ROLE_HELP[role]}>
        <TenantRoleSelect id="member-role" value={role} onValueChange={setRole} />
      </Field>
    </FormDialog>
  );
}
