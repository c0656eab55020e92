// A member's role in the tenant: viewer, manager or admin.
import type { TenantRole } from '@common/permissions';
import type { ComponentProps } from 'react';
import { useIntl } from 'react-intl';
import { type Choice, ChoiceSelect } from '@/components/ui/input';
import { md } from '../messages';

export function TenantRoleSelect(props: Omit<ComponentProps<typeof ChoiceSelect<TenantRole>>, 'choices'>) {
  const t = useIntl().formatMessage;
  const roles: Choice<TenantRole>[] = [
    { value: 'viewer', label: t(md.viewer) },
    { value: 'manager', label: t(md.manager) },
    { value: 'admin', label: t(md.admin) },
  ];
  return <ChoiceSelect choices={roles} {...props} />;
}
