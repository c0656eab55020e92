// A global admin sets a new password for someone; their sessions end.
import type { User } from '@common/schemas/auth';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { FormDialog } from '@/components/form-dialog';
import { PasswordField } from '@/components/text-field';
import { toast } from '@/components/ui/toast';
import { fieldErrors } from '@/lib/api-client';
import { useUpdateUser } from '../api/update-user';
import { passwordResetFor, resetDescription, us } from '../messages';

export function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose(): void }) {
  const update = useUpdateUser();
  const [password, setPassword] = useState('');
  const errs = fieldErrors(update.error);
  const t = useIntl().formatMessage;
  return (
    <FormDialog
      open={user !== null}
      onOpenChange={(o) => !o && onClose()}
      title={t(us.resetPassword)}
      description={t(resetDescription, { email: user?.email ?? '' })}
      mutation={update}
      onSubmit={() => {
        if (!user) return;
        update.mutate(
          { id: user.id, body: { password } },
          {
            onSuccess: () => {
              toast({ variant: 'success', title: t(passwordResetFor, { email: user.email }) });
              setPassword('');
              onClose();
            },
          },
        );
      }}
      submitLabel={t(us.resetPassword)}
      ready={password.length >= 12}
    >
      <PasswordField
        fresh
        id="reset-password"
        label={t(us.newPassword)}
        error={errs.password}
        value={password}
        onValueChange={setPassword}
      />
    </FormDialog>
  );
}
