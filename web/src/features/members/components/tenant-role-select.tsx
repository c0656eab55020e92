// A member's role in the tenant: viewer, manager or admin.
import type { TenantRole } from '@common/permissions';
import type { ComponentProps } from 'react';
import { NativeSelect } from '@/components/ui/input';

export function TenantRoleSelect({
  onValueChange,
  ...props
}: Omit<ComponentProps<typeof NativeSelect>, 'value' | 'onChange'> & {
  value: TenantRole;
  onValueChange(role: TenantRole): void;
}) {
  return (
    <NativeSelect {...props} onChange={(e) => onValueChange(e.target.value as TenantRole)}>
      <option value="viewer">Viewer</option>
      <option value="manager">Manager</option>
      <option value="admin">Admin</option>
    </NativeSelect>
  );
}
