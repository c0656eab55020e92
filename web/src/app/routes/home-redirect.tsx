// "/": straight into the only tenant, the admin overview for admins without tenants, else the picker.
import { Navigate } from 'react-router';
import { useMeData } from '@/features/auth/api/get-me';

export function Component() {
  const me = useMeData();
  const only = me.tenants.length === 1 ? me.tenants[0] : undefined;
  if (only) return <Navigate to={`/tenants/${only.id}`} replace />;
  if (me.tenants.length === 0 && me.can.manageTenants) return <Navigate to="/admin" replace />;
  return <Navigate to="/tenants" replace />;
}
