// The signed-in user's own name, avatar and language.
import type { User } from '@common/schemas/auth';
import { type FormEvent, useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { QueryView } from '@/components/query-view';
import { TextField } from '@/components/text-field';
import { FormError } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/misc';
import { toast } from '@/components/ui/toast';
import { LanguagePicker } from '@/i18n/language-picker';
import { fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useAccount } from '../api/get-account';
import { useUpdateAccount } from '../api/update-account';
import { pf, since } from '../messages';

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

  const t = useIntl().formatMessage;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { fullName: fullName.trim() || null, avatarUrl: avatarUrl.trim() || null },
      { onSuccess: () => toast({ variant: 'success', title: t(pf.saved) }) },
    );
  };
  return (
    <TitledCard
      title={t(pf.title)}
      description={
        <>
          {account.email} ·{' '}
          <Badge variant="secondary">{t(account.globalRole === 'admin' ? pf.globalAdmin : pf.user)}</Badge> ·{' '}
          {t(since, { date: formatDateTime(account.createdAt) })}
        </>
      }
    >
      <form className="grid max-w-lg gap-4" onSubmit={onSubmit}>
        <FormError error={update.error} />
        <TextField
          id="fullName"
          label={t(pf.fullName)}
          error={errs.fullName}
          autoComplete="name"
          value={fullName}
          onValueChange={setFullName}
        />
        <TextField
          id="avatarUrl"
          label={t(pf.avatarUrl)}
          hint={t(pf.avatarHint)}
          error={errs.avatarUrl}
          type="url"
          value={avatarUrl}
          onValueChange={setAvatarUrl}
        />
        <div>
          <Button type="submit" disabled={update.isPending}>
            {t(pf.save)}
          </Button>
        </div>
      </form>
      <div className="mt-6 max-w-lg border-t pt-4">
        <LanguagePicker
          id="language"
          hint={t(pf.languageHint)}
          onPick={(locale) =>
            update.mutate({ locale }, { onSuccess: () => toast({ variant: 'success', title: t(pf.languageSaved) }) })
          }
        />
      </div>
    </TitledCard>
  );
}
