// The signed-in user's own name and avatar.
import type { User } from '@common/schemas/auth';
import { type FormEvent, useEffect, useState } from 'react';
import { QueryView } from '@/components/query-view';
import { TextField } from '@/components/text-field';
import { FormError } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/misc';
import { toast } from '@/components/ui/toast';
import { fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useAccount } from '../api/get-account';
import { useUpdateAccount } from '../api/update-account';

export function ProfileForm() {
  const account = useAccount();
  return (
    <QueryView query={account} pending={<Skeleton className="h-56" />}>
      {(data) => <ProfileFields account={data} />}
    </QueryView>
  );
}

function ProfileFields({ account }: { account: User }) {
  const update = useUpdateAccount();
  const [fullName, setFullName] = useState(account.fullName ?? '');
  const [avatarUrl, setAvatarUrl] = useState(account.avatarUrl ?? '');
  // A refetched account (saved here or elsewhere) shows as it is now.
  useEffect(() => {
    setFullName(account.fullName ?? '');
    setAvatarUrl(account.avatarUrl ?? '');
  }, [account]);
  const errs = fieldErrors(update.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { fullName: fullName.trim() || null, avatarUrl: avatarUrl.trim() || null },
      { onSuccess: () => toast({ variant: 'success', title: 'Profile saved' }) },
    );
  };
  return (
    <TitledCard
      title="Profile"
      description={
        <>
          {account.email} ·{' '}
          <Badge variant="secondary">{account.globalRole === 'admin' ? 'global admin' : 'user'}</Badge> · since{' '}
          {formatDateTime(account.createdAt)}
        </>
      }
    >
      <form className="grid max-w-lg gap-4" onSubmit={onSubmit}>
        <FormError error={update.error} />
        <TextField
          id="fullName"
          label="Full name"
          error={errs.fullName}
          autoComplete="name"
          value={fullName}
          onValueChange={setFullName}
        />
        <TextField
          id="avatarUrl"
          label="Avatar URL"
          hint="An http(s) address of a picture."
          error={errs.avatarUrl}
          type="url"
          value={avatarUrl}
          onValueChange={setAvatarUrl}
        />
        <div>
          <Button type="submit" disabled={update.isPending}>
            Save profile
          </Button>
        </div>
      </form>
    </TitledCard>
  );
}
