// Adding someone to the tenant by e-mail: global admins add existing users at once, everyone else
// gets a one-time invitation link to send.
import type { TenantRole } from '@common/permissions';
import { useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
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
import { md, nowA, sendLink } from '../messages';
import { TenantRoleSelect } from './tenant-role-select';

const ROLE_HELP: Record<TenantRole, MessageDescriptor> = {
  admin: md.helpAdmin,
  manager: md.helpManager,
  viewer: md.helpViewer,
};

export function AddMemberDialog({ tenantId, open, onOpenChange }: DialogOpenProps & { tenantId: string }) {
  const add = useAddMember(tenantId);
  // Global admins add existing users at once; everyone else invites, and the person accepts.
  const direct = useMeData().can.manageUsers;
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TenantRole>('viewer');
  const [result, setResult] = useState<AddMemberResult | null>(null);
  const errs = fieldErrors(add.error);
  const t = useIntl().formatMessage;
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
      title={direct ? t(md.addTitle) : t(md.inviteTitle)}
      description={direct ? t(md.addDescription) : t(md.inviteDescription)}
      mutation={add}
      onSubmit={() => add.mutate({ email, role }, { onSuccess: setResult })}
      submitLabel={direct ? t(md.addMember) : t(md.createInvitation)}
      ready={Boolean(email)}
      result={
        result ? (
          <div className="grid gap-3">
            {result.member ? <Alert>{t(nowA, { email: result.member.email, role: result.member.role })}</Alert> : null}
            {result.invitation ? (
              <>
                <Alert>
                  {t(sendLink, {
                    email: result.invitation.email,
                    role: result.invitation.role,
                    until: formatDateTime(result.invitation.expiresAt),
                  })}
                </Alert>
                <code className="block rounded-md border bg-muted p-3 text-xs break-all" data-testid="invitation-url">
                  {result.invitation.url}
                </code>
                <CopyButton value={result.invitation.url} label={t(md.copyLink)} />
              </>
            ) : null}
            <DialogFooter>
              <Button onClick={() => close(false)}>{t(md.done)}</Button>
            </DialogFooter>
          </div>
        ) : null
      }
    >
      <TextField
        id="member-email"
        label={t(md.email)}
        error={errs.email}
        type="email"
        required
        value={email}
        onValueChange={setEmail}
      />
      <Field id="member-role" label={t(md.role)} hint={t(ROLE_HELP[role])}>
        <TenantRoleSelect id="member-role" value={role} onValueChange={setRole} />
      </Field>
    </FormDialog>
  );
}
