// /account: own profile (name, avatar), password change and one's own alert e-mails.
import { PageHeader } from '@/components/ui/misc';
import { PasswordForm } from '@/features/account/components/password-form';
import { ProfileForm } from '@/features/account/components/profile-form';
import { PersonalAlertsCard } from '@/features/alerts/components/personal-alerts-card';

export function Component() {
  return (
    <>
      <PageHeader title="Profile" description="Your account on this Nexus." />
      <div className="grid gap-6">
        <ProfileForm />
        <PasswordForm />
        <PersonalAlertsCard />
      </div>
    </>
  );
}
