// /account: own profile (name, avatar) and password change.
import { type FormEvent, useEffect, useState } from 'react';
import { Alert, ErrorAlert, FormError } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { PageHeader, Skeleton } from '@/components/ui/misc';
import { toast } from '@/components/ui/toast';
import { useAccount } from '@/features/account/api/get-account';
import { useUpdateAccount } from '@/features/account/api/update-account';
import { errorMessage, fieldErrors, isApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';

function ProfileForm() {
  const account = useAccount();
  const update = useUpdateAccount();
  const [fullName, setFullName] = useState('');
  const [avatarUrl, setAvatarUrl] = useState('');
  useEffect(() => {
    if (account.data) {
      setFullName(account.data.fullName ?? '');
      setAvatarUrl(account.data.avatarUrl ?? '');
    }
  }, [account.data]);
  if (account.isPending) return <Skeleton className="h-56" />;
  if (account.isError) return <ErrorAlert error={account.error} />;
  const errs = fieldErrors(update.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { fullName: fullName.trim() || null, avatarUrl: avatarUrl.trim() || null },
      { onSuccess: () => toast({ variant: 'success', title: 'Profile saved' }) },
    );
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Profile</CardTitle>
        <CardDescription>
          {account.data.email} ·{' '}
          <Badge variant="secondary">{account.data.globalRole === 'admin' ? 'global admin' : 'user'}</Badge> · since{' '}
          {formatDateTime(account.data.createdAt)}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid max-w-lg gap-4" onSubmit={onSubmit}>
          <FormError error={update.error} />
          <Field id="fullName" label="Full name" error={errs.fullName}>
            <Input id="fullName" autoComplete="name" value={fullName} onChange={(e) => setFullName(e.target.value)} />
          </Field>
          <Field id="avatarUrl" label="Avatar URL" hint="An http(s) address of a picture." error={errs.avatarUrl}>
            <Input id="avatarUrl" type="url" value={avatarUrl} onChange={(e) => setAvatarUrl(e.target.value)} />
          </Field>
          <div>
            <Button type="submit" disabled={update.isPending}>
              Save profile
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

function PasswordForm() {
  const update = useUpdateAccount();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [keepTokens, setKeepTokens] = useState(false);
  const [done, setDone] = useState(false);
  const mismatch = repeat.length > 0 && next !== repeat;
  const errs = fieldErrors(update.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setDone(false);
    update.mutate(
      { currentPassword: current, newPassword: next, keepTokens },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
          setKeepTokens(false);
          setDone(true);
        },
      },
    );
  };
  const wrong = isApiError(update.error, 'auth.invalid_credentials');
  return (
    <Card>
      <CardHeader>
        <CardTitle>Password</CardTitle>
        <CardDescription>
          At least 12 characters. Your other sessions end when it changes, and so do your API tokens unless you keep
          them.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid max-w-lg gap-4" onSubmit={onSubmit}>
          {done ? <Alert>Password changed.</Alert> : null}
          {wrong ? <Alert variant="destructive">The current password is wrong.</Alert> : null}
          {update.error && !wrong && Object.keys(errs).length === 0 ? (
            <Alert variant="destructive">{errorMessage(update.error)}</Alert>
          ) : null}
          <Field id="currentPassword" label="Current password" error={errs.currentPassword}>
            <Input
              id="currentPassword"
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </Field>
          <Field id="newPassword" label="New password" error={errs.newPassword}>
            <Input
              id="newPassword"
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          </Field>
          <Field id="repeatPassword" label="Repeat new password" error={mismatch ? 'The passwords differ' : undefined}>
            <Input
              id="repeatPassword"
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </Field>
          <div className="flex items-start gap-2">
            <Checkbox id="keepTokens" checked={keepTokens} onCheckedChange={(on) => setKeepTokens(on === true)} />
            <Label htmlFor="keepTokens" className="leading-snug font-normal">
              Keep my API tokens working (only if you are sure none of them leaked)
            </Label>
          </div>
          <div>
            <Button type="submit" disabled={update.isPending || !current || next.length < 12 || mismatch}>
              Change password
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

export function Component() {
  return (
    <>
      <PageHeader title="Profile" description="Your account on this Nexus." />
      <div className="grid gap-6">
        <ProfileForm />
        <PasswordForm />
      </div>
    </>
  );
}
