// /account: own profile (name, avatar) and password change.
import { PageHeader } from '@/components/ui/misc';
import { PasswordForm } from '@/features/account/components/password-form';
import { ProfileForm } from '@/features/account/components/profile-form';

export function Component() {
  return (
    <>
      <PageHeader title="Profile" description="Your account on this Nexus." />
      <div className="grid gap-6">
        <ProfileForm />
        <PasswordForm />
      </div>
    </>
  );
}
