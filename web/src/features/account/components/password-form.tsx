// Changing one's own password; other sessions end, and API tokens too unless kept on purpose.
import { type FormEvent, useState } from 'react';
import { PasswordField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { Label } from '@/components/ui/label';
import { errorMessage, fieldErrors, isApiError } from '@/lib/api-client';
import { useUpdateAccount } from '../api/update-account';

export function PasswordForm() {
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
    <TitledCard
      title="Password"
      description="At least 12 characters. Your other sessions end when it changes, and so do your API tokens unless you keep them."
    >
      <form className="grid max-w-lg gap-4" onSubmit={onSubmit}>
        {done ? <Alert>Password changed.</Alert> : null}
        {wrong ? <Alert variant="destructive">The current password is wrong.</Alert> : null}
        {update.error && !wrong && Object.keys(errs).length === 0 ? (
          <Alert variant="destructive">{errorMessage(update.error)}</Alert>
        ) : null}
        <PasswordField
          id="currentPassword"
          label="Current password"
          error={errs.currentPassword}
          value={current}
          onValueChange={setCurrent}
        />
        <PasswordField
          fresh
          id="newPassword"
          label="New password"
          error={errs.newPassword}
          value={next}
          onValueChange={setNext}
        />
        <PasswordField
          fresh
          id="repeatPassword"
          label="Repeat new password"
          error={mismatch ? 'The passwords differ' : undefined}
          value={repeat}
          onValueChange={setRepeat}
        />
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
    </TitledCard>
  );
}
