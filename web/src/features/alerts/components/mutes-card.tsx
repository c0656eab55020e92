// Muted servers: their alerts reach no channel until the mute ends (the bell still shows them).
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { TextField } from '@/components/text-field';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { ChoiceSelect } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { toastError } from '@/components/ui/toast';
import { useServers } from '@/features/servers/api/get-servers';
import { formatDateTime } from '@/lib/format';
import { type AlertMute, useMute, useMutes, useUnmute } from '../api/alerts';
import { al, mutedUntil, unmuteName } from '../messages';
import { type MuteDuration, muteDurations, muteUntil } from '../mute-form-state';

function MuteList({ tenantId, mutes }: { tenantId: string; mutes: AlertMute[] }) {
  const unmute = useUnmute(tenantId);
  const t = useIntl().formatMessage;
  if (mutes.length === 0) return <p className="mb-4 text-sm text-muted-foreground">{t(al.noMutes)}</p>;
  return (
    <ul className="mb-4 grid gap-2 text-sm">
      {mutes.map((m) => (
        <li key={m.serverId} className="flex items-center justify-between gap-2">
          <span>
            {t(mutedUntil, {
              server: m.serverName ?? m.serverId,
              until: formatDateTime(m.until),
              b: (chunks) => <span className="font-medium">{chunks}</span>,
            })}
            {m.reason ? <span className="text-muted-foreground"> — {m.reason}</span> : null}
          </span>
          <Button
            variant="outline"
            size="sm"
            aria-label={t(unmuteName, { name: m.serverName ?? m.serverId })}
            disabled={unmute.isPending}
            onClick={() => unmute.mutate(m.serverId, { onError: toastError(t(al.unmuteFailed)) })}
          >
            {t(al.unmute)}
          </Button>
        </li>
      ))}
    </ul>
  );
}

export function MutesCard({ tenantId }: { tenantId: string }) {
  const mutes = useMutes(tenantId);
  const servers = useServers(tenantId);
  const mute = useMute(tenantId);
  const [serverId, setServerId] = useState('');
  const [duration, setDuration] = useState<MuteDuration>('8');
  const [custom, setCustom] = useState('');
  const [reason, setReason] = useState('');
  const t = useIntl().formatMessage;
  const choices = [
    { value: '', label: t(al.chooseServer) },
    ...(servers.data ?? []).map((s) => ({ value: s.id, label: s.name })),
  ];
  const customProblem = duration === 'custom' ? muteUntil(duration, custom, Date.now()).problem : null;
  return (
    <TitledCard title={t(al.mutedServers)} description={t(al.mutedDescription)}>
      <MuteList tenantId={tenantId} mutes={mutes.data?.mutes ?? []} />
      <form
        className={`grid gap-3 sm:grid-cols-2 lg:items-start ${duration === 'custom' ? 'lg:grid-cols-5' : 'lg:grid-cols-4'}`}
        aria-label={t(al.muteAServer)}
        onSubmit={(e) => {
          e.preventDefault();
          const { until } = muteUntil(duration, custom, Date.now());
          if (!until) return;
          mute.mutate(
            { serverId, until, reason: reason.trim() || null },
            {
              onSuccess: () => {
                setReason('');
                setServerId('');
              },
              onError: toastError(t(al.muteFailed)),
            },
          );
        }}
      >
        <Field id="mute-server" label={t(al.server)}>
          <ChoiceSelect id="mute-server" value={serverId} choices={choices} onValueChange={setServerId} />
        </Field>
        <Field id="mute-for" label={t(al.for)}>
          <ChoiceSelect<MuteDuration>
            id="mute-for"
            value={duration}
            choices={muteDurations()}
            onValueChange={setDuration}
          />
        </Field>
        {duration === 'custom' ? (
          <TextField
            id="mute-until"
            label={t(al.until)}
            type="datetime-local"
            error={custom ? (customProblem ?? undefined) : undefined}
            value={custom}
            onValueChange={setCustom}
          />
        ) : null}
        <TextField id="mute-reason" label={t(al.reason)} maxLength={200} value={reason} onValueChange={setReason} />
        <Button type="submit" className="lg:mt-5" disabled={!serverId || customProblem !== null || mute.isPending}>
          {t(al.mute)}
        </Button>
      </form>
    </TitledCard>
  );
}
