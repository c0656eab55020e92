// The global role of an account: an ordinary user, or a global administrator.
import type { ComponentProps } from 'react';
import { useIntl } from 'react-intl';
import { type Choice, ChoiceSelect } from '@/components/ui/input';
import { globalRoles } from '../messages';

export type GlobalRole = 'user' | 'admin';

export function GlobalRoleSelect(props: Omit<ComponentProps<typeof ChoiceSelect<GlobalRole>>, 'choices'>) {
  const t = useIntl().formatMessage;
  const choices: Choice<GlobalRole>[] = [
    { value: 'user', label: t(globalRoles.user) },
    { value: 'admin', label: t(globalRoles.admin) },
  ];
  return <ChoiceSelect choices={choices} {...props} />;
}
