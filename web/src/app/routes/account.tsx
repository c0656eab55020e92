// /account: own profile (name, avatar), password change and one's own alert e-mails.

import { Page } from '@/components/page';
import { PasswordForm } from '@/features/account/components/password-form';
import { ProfileForm } from '@/features/account/components/profile-form';
import { PersonalAlertsCard } from '@/features/alerts/components/personal-alerts-card';
import { profilePage } from '../messages';

export function Component() {
  return (
    <Page text={profilePage}>
      <div className="grid gap-6">
        <ProfileForm />
        <PasswordForm />
        <PersonalAlertsCard />
      </div>
    </Page>
  );
}
