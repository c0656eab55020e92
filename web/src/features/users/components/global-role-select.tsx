// The global role of an account: an ordinary user, or a global administrator.
import type { ComponentProps } from 'react';
import { NativeSelect } from '@/components/ui/input';

export type GlobalRole = 'user' | 'admin';

export function GlobalRoleSelect({
  onValueChange,
  ...props
}: Omit<ComponentProps<typeof NativeSelect>, 'value' | 'onChange'> & {
  value: GlobalRole;
  onValueChange(role: GlobalRole): void;
}) {
  return (
    <NativeSelect {...props} onChange={(e) => onValueChange(e.target.value as GlobalRole)}>
      <option value="user">User</option>
      <option value="admin">Global admin</option>
    </NativeSelect>
  );
}
