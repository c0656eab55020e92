// The signed-in user's own alert e-mails (the server must have a mail relay).

import { FormError } from '@/components/ui/alert';
import { TitledCard } from '@/components/ui/card';
import { ToggleSetting } from '@/features/tenants/components/settings-fields';
import { usePersonalAlerts, useSavePersonalAlerts } from '../api/alerts';

export function PersonalAlertsCard() {
  const prefs = usePersonalAlerts();
  const save = useSavePersonalAlerts();
  const p = prefs.data ?? { guestPower: false, signIn: false };
  return (
    <TitledCard title="Alert e-mails" description="Mail sent to your own address.">
      <div className="flex flex-col gap-4">
        <FormError error={save.error} />
        <ToggleSetting
          id="alerts-guest-power"
          label="Mail me when someone else powers a guest I can see"
          hint="Start, stop, reboot and the other power actions, with who did it."
          checked={p.guestPower}
          onChange={(v) => save.mutate({ guestPower: v })}
        />
        <ToggleSetting
          id="alerts-sign-in"
          label="Mail me when my account signs in from a new device"
          hint="A browser or address this account has not used before."
          checked={p.signIn}
          onChange={(v) => save.mutate({ signIn: v })}
        />
      </div>
    </TitledCard>
  );
}
