// The name, e-mail and password fields of the signed-out forms (setup, sign-up, invitation).
// Extra props go to the input (autoComplete, minLength).
import type { ComponentProps } from 'react';
import { PasswordField, TextField } from '@/components/text-field';

type AccountFieldProps = Omit<ComponentProps<typeof TextField>, 'id' | 'label' | 'onValueChange'> & {
  onChange(value: string): void;
};

export function FullNameField({ onChange, ...props }: AccountFieldProps) {
  return <TextField id="fullName" label="Full name (optional)" onValueChange={onChange} {...props} />;
}

export function EmailField({ onChange, ...props }: AccountFieldProps) {
  return (
    <TextField
      id="email"
      label="Email"
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
  return (
    <PasswordField
      fresh
      id="password"
      label="Password"
      hint="At least 12 characters."
      required
      onValueChange={onChange}
      {...props}
    />
  );
}
