// The global role of an account: an ordinary user, or a global administrator.
import type { ComponentProps } from 'react';
import { type Choice, ChoiceSelect } from '@/components/ui/input';

export type GlobalRole = 'user' | 'admin';

const GLOBAL_ROLES: Choice<GlobalRole>[] = [
  { value: 'user', label: 'User' },
  { value: 'admin', label: 'Global admin' },
];

export function GlobalRoleSelect(props: Omit<ComponentProps<typeof ChoiceSelect<GlobalRole>>, 'choices'>) {
  return <ChoiceSelect choices={GLOBAL_ROLES} {...props} />;
}
