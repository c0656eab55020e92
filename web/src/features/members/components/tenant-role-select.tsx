// A member's role in the tenant: viewer, manager or admin.
import type { TenantRole } from '@common/permissions';
import type { ComponentProps } from 'react';
import { type Choice, ChoiceSelect } from '@/components/ui/input';

const TENANT_ROLES: Choice<TenantRole>[] = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'manager', label: 'Manager' },
  { value: 'admin', label: 'Admin' },
];

export function TenantRoleSelect(props: Omit<ComponentProps<typeof ChoiceSelect<TenantRole>>, 'choices'>) {
  return <ChoiceSelect choices={TENANT_ROLES} {...props} />;
}
