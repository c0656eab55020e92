// The signed-in user's own alert e-mails (the server must have a mail relay).

import { useIntl } from 'react-intl';
import { FormError } from '@/components/ui/alert';
import { TitledCard } from '@/components/ui/card';
import { ToggleSetting } from '@/features/tenants/components/settings-fields';
import { usePersonalAlerts, useSavePersonalAlerts } from '../api/alerts';
import { al } from '../messages';

/** What a person may be told of by e-mail, each switched on its own. */
const CHOICES = [
  { key: 'guestPower', id: 'alerts-guest-power', label: al.guestPower, hint: al.guestPowerHint },
  { key: 'signIn', id: 'alerts-sign-in', label: al.signIn, hint: al.signInHint },
] as const;

export function PersonalAlertsCard() {
  const prefs = usePersonalAlerts();
  const save = useSavePersonalAlerts();
  const p = prefs.data ?? { guestPower: false, signIn: false };
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(al.personalTitle)} description={t(al.personalDescription)}>
      <div className="flex flex-col gap-4">
        <FormError error={save.error} />
        {CHOICES.map((c) => (
          <ToggleSetting
            key={c.key}
            id={c.id}
            label={t(c.label)}
            hint={t(c.hint)}
            checked={p[c.key]}
            onChange={(v) => save.mutate({ [c.key]: v })}
          />
        ))}
      </div>
    </TitledCard>
  );
}
