// A labelled text input with its hint and error: the most common row of every form. Extra props
// go to the input (type, autoComplete, required, …).
import type { ComponentProps, ReactNode } from 'react';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';

export function TextField({
  id,
  label,
  hint,
  error,
  value,
  onValueChange,
  className,
  inputClassName,
  ...input
}: Omit<ComponentProps<'input'>, 'id' | 'value' | 'onChange'> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onValueChange(value: string): void;
  /** Places the field (the wrapper); `inputClassName` styles the input. */
  className?: string;
  inputClassName?: string;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error} className={className}>
      <Input
        id={id}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        className={inputClassName}
        {...input}
      />
    </Field>
  );
}

/** A password input: `fresh` for one being chosen now (password managers offer to generate and
 * save it), else the one the person has. */
export function PasswordField({
  fresh = false,
  ...props
}: Omit<ComponentProps<typeof TextField>, 'type' | 'autoComplete'> & { fresh?: boolean }) {
  return <TextField type="password" autoComplete={fresh ? 'new-password' : 'current-password'} {...props} />;
}

/** A code typed from somewhere else (an authenticator app, a PIN): digits, and the browser may
 * offer a one-time code it received. */
export function CodeField(props: Omit<ComponentProps<typeof TextField>, 'inputMode' | 'autoComplete'>) {
  return <TextField inputMode="numeric" autoComplete="one-time-code" {...props} />;
}
