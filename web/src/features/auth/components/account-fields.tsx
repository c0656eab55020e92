// The name, e-mail and password fields of the signed-out forms (setup, sign-up, invitation).
// Extra props go to the input (autoComplete, minLength).
import type { ComponentProps } from 'react';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';

type AccountFieldProps = Omit<ComponentProps<'input'>, 'id' | 'value' | 'onChange'> & {
  value: string;
  onChange(value: string): void;
  error: string | undefined;
};

function AccountField({
  id,
  label,
  hint,
  value,
  onChange,
  error,
  ...input
}: AccountFieldProps & { id: string; label: string; hint?: string }) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <Input id={id} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
    </Field>
  );
}

export function FullNameField(props: AccountFieldProps) {
  return <AccountField id="fullName" label="Full name (optional)" {...props} />;
}

export function EmailField(props: AccountFieldProps) {
  return <AccountField id="email" label="Email" type="email" autoComplete="email" required {...props} />;
}

/** A password the person chooses now. */
export function NewPasswordField(props: AccountFieldProps) {
  return (
    <AccountField
      id="password"
      label="Password"
      hint="At least 12 characters."
      type="password"
      autoComplete="new-password"
      required
      {...props}
    />
  );
}
