// A global admin sets a new password for someone; their sessions end.
import type { User } from '@common/schemas/auth';
import { useState } from 'react';
import { FormDialog } from '@/components/form-dialog';
import { PasswordField } from '@/components/text-field';
import { toast } from '@/components/ui/toast';
import { fieldErrors } from '@/lib/api-client';
import { useUpdateUser } from '../api/update-user';

export function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose(): void }) {
  const update = useUpdateUser();
  const [password, setPassword] = useState('');
  const errs = fieldErrors(update.error);
  return (
    <FormDialog
      open={user !== null}
      onOpenChange={(o) => !o && onClose()}
      title="Reset password"
      description={<>{user?.email}: their sessions end and they sign in with the new password.</>}
      error={update.error}
      onSubmit={() => {
        if (!user) return;
        update.mutate(
          { id: user.id, body: { password } },
          {
            onSuccess: () => {
              toast({ variant: 'success', title: `Password reset for ${user.email}` });
              setPassword('');
              onClose();
            },
          },
        );
      }}
      submitLabel="Reset password"
      submitDisabled={password.length < 12 || update.isPending}
    >
      <PasswordField
        fresh
        id="reset-password"
        label="New password"
        error={errs.password}
        value={password}
        onValueChange={setPassword}
      />
    </FormDialog>
  );
}
