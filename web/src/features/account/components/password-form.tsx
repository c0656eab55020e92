// Changing one's own password; other sessions end, and API tokens too unless kept on purpose.
import { type FormEvent, useState } from 'react';
import { useIntl } from 'react-intl';
import { PasswordField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { Label } from '@/components/ui/label';
import { errorMessage, fieldErrors, isApiError } from '@/lib/api-client';
import { useUpdateAccount } from '../api/update-account';
import { ac } from '../messages';

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
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(ac.passwordTitle)} description={t(ac.passwordDescription)}>
      <form className="grid max-w-lg gap-4" onSubmit={onSubmit}>
        {done ? <Alert>{t(ac.changed)}</Alert> : null}
        {wrong ? <Alert variant="destructive">{t(ac.currentWrong)}</Alert> : null}
        {update.error && !wrong && Object.keys(errs).length === 0 ? (
          <Alert variant="destructive">{errorMessage(update.error)}</Alert>
        ) : null}
        <PasswordField
          id="currentPassword"
          label={t(ac.current)}
          error={errs.currentPassword}
          value={current}
          onValueChange={setCurrent}
        />
        <PasswordField
          fresh
          id="newPassword"
          label={t(ac.new)}
          error={errs.newPassword}
          value={next}
          onValueChange={setNext}
        />
        <PasswordField
          fresh
          id="repeatPassword"
          label={t(ac.repeat)}
          error={mismatch ? t(ac.differ) : undefined}
          value={repeat}
          onValueChange={setRepeat}
        />
        <div className="flex items-start gap-2">
          <Checkbox id="keepTokens" checked={keepTokens} onCheckedChange={(on) => setKeepTokens(on === true)} />
          <Label htmlFor="keepTokens" className="leading-snug font-normal">
            {t(ac.keepTokens)}
          </Label>
        </div>
        <div>
          <Button type="submit" disabled={update.isPending || !current || next.length < 12 || mismatch}>
            {t(ac.change)}
          </Button>
        </div>
      </form>
    </TitledCard>
  );
}
