// The name, e-mail and password fields of the signed-out forms (setup, sign-up, invitation).
// Extra props go to the input (autoComplete, minLength).
import type { ComponentProps } from 'react';
import { useIntl } from 'react-intl';
import { PasswordField, TextField } from '@/components/text-field';
import { au } from '../messages';

type AccountFieldProps = Omit<ComponentProps<typeof TextField>, 'id' | 'label' | 'onValueChange'> & {
  onChange(value: string): void;
};

export function FullNameField({ onChange, ...props }: AccountFieldProps) {
  const t = useIntl().formatMessage;
  return <TextField id="fullName" label={t(au.fullName)} onValueChange={onChange} {...props} />;
}

export function EmailField({ onChange, ...props }: AccountFieldProps) {
  const t = useIntl().formatMessage;
  return (
    <TextField
      id="email"
      label={t(au.email)}
      type="email"
      autoComplete="email"
      required
      onValueChange={onChange}
      {...props}
    />
  );
}

/** A password the person chooses now. */
export function NewPasswordField({ onChange, ...props }: AccountFieldProps) {
  const t = useIntl().formatMessage;
  return (
    <PasswordField
      fresh
      id="password"
      label={t(au.password)}
      hint={t(au.passwordHint)}
      required
      onValueChange={onChange}
      {...props}
    />
  );
}
