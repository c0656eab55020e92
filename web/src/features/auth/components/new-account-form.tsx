// The signed-out form that creates an account: first-start setup, sign-up, and an invitation's
// new account. Name (optional), e-mail (typed, or fixed by the invitation) and a new password.
import { type FormEvent, type ReactNode, useState } from 'react';
import { useIntl } from 'react-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { errorMessage, fieldErrors } from '@/lib/api-client';
import { au } from '../messages';
import { EmailField, FullNameField, NewPasswordField } from './account-fields';

export interface NewAccount {
  email: string;
  password: string;
  fullName?: string;
}

export function NewAccountForm({
  fixedEmail,
  error,
  pending,
  problem,
  intro,
  footer,
  nameAutoComplete,
  passwordMinLength,
  submitLabel,
  pendingLabel,
  onSubmit,
}: {
  /** The invited address, shown read-only (null: none shown); undefined: the person types one. */
  fixedEmail?: string | null;
  error: unknown;
  pending: boolean;
  /** A known failure said in the page's own words, instead of the server's message. */
  problem?: ReactNode;
  intro?: ReactNode;
  footer?: ReactNode;
  nameAutoComplete?: boolean;
  passwordMinLength?: number;
  submitLabel: string;
  pendingLabel: string;
  onSubmit(account: NewAccount): void;
}) {
  const [form, setForm] = useState({ fullName: '', email: '', password: '' });
  const errs = fieldErrors(error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fullName = form.fullName.trim();
    onSubmit({ email: form.email, password: form.password, ...(fullName ? { fullName } : {}) });
  };

  const t = useIntl().formatMessage;
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      {problem ? (
        <Alert variant="destructive">{problem}</Alert>
      ) : error && Object.keys(errs).length === 0 ? (
        <Alert variant="destructive">{errorMessage(error)}</Alert>
      ) : null}
      {intro}
      {fixedEmail ? (
        <Field id="email" label={t(au.email)}>
          <Input id="email" type="email" value={fixedEmail} readOnly disabled />
        </Field>
      ) : null}
      <FullNameField
        autoComplete={nameAutoComplete ? 'name' : undefined}
        value={form.fullName}
        onChange={(fullName) => setForm({ ...form, fullName })}
        error={errs.fullName}
      />
      {fixedEmail === undefined ? (
        <EmailField value={form.email} onChange={(email) => setForm({ ...form, email })} error={errs.email} />
      ) : null}
      <NewPasswordField
        minLength={passwordMinLength}
        value={form.password}
        onChange={(password) => setForm({ ...form, password })}
        error={errs.password}
      />
      <Button type="submit" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </Button>
      {footer}
    </form>
  );
}
