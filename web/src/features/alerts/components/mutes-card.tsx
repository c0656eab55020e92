// Muted servers: their alerts reach no channel until the mute ends (the bell still shows them).
import { useState } from 'react';
import { TextField } from '@/components/text-field';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { ChoiceSelect } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { toastError } from '@/components/ui/toast';
import { useServers } from '@/features/servers/api/get-servers';
import { formatDateTime } from '@/lib/format';
import { useMute, useMutes, useUnmute } from '../api/alerts';

const DURATIONS: { value: string; label: string }[] = [
  { value: '1', label: '1 hour' },
  { value: '8', label: '8 hours' },
  { value: '24', label: '24 hours' },
  { value: '168', label: '7 days' },
];

export function MutesCard({ tenantId }: { tenantId: string }) {
  const mutes = useMutes(tenantId);
  const servers = useServers(tenantId);
  const mute = useMute(tenantId);
  const unmute = useUnmute(tenantId);
  const [serverId, setServerId] = useState('');
  const [hours, setHours] = useState<string>('8');
  const [reason, setReason] = useState('');
  const list = mutes.data?.mutes ?? [];
  const choices = [
    { value: '', label: 'Choose a server' },
    ...(servers.data ?? []).map((s) => ({ value: s.id, label: s.name })),
  ];
  return (
    <TitledCard title="Muted servers" description="A muted server's alerts go to no channel until the mute ends.">
      {list.length === 0 ? (
        <p className="mb-4 text-sm text-muted-foreground">No server is muted.</p>
      ) : (
        <ul className="mb-4 grid gap-2 text-sm">
          {list.map((m) => (
            <li key={m.serverId} className="flex items-center justify-between gap-2">
              <span>
                <span className="font-medium">{m.serverName ?? m.serverId}</span> until {formatDateTime(m.until)}
                {m.reason ? <span className="text-muted-foreground"> — {m.reason}</span> : null}
              </span>
              <Button
                variant="outline"
                size="sm"
                onClick={() => unmute.mutate(m.serverId, { onError: toastError('Could not unmute') })}
              >
                Unmute
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="grid gap-3 sm:grid-cols-4 sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const until = new Date(Date.now() + Number(hours) * 3_600_000).toISOString();
          mute.mutate(
            { serverId, until, reason: reason.trim() || null },
            { onSuccess: () => setReason(''), onError: toastError('Could not mute') },
          );
        }}
      >
        <Field id="mute-server" label="Server">
          <ChoiceSelect id="mute-server" value={serverId} choices={choices} onValueChange={setServerId} />
        </Field>
        <Field id="mute-for" label="For">
          <ChoiceSelect id="mute-for" value={hours} choices={DURATIONS} onValueChange={setHours} />
        </Field>
        <TextField id="mute-reason" label="Reason (optional)" value={reason} onValueChange={setReason} />
        <Button type="submit" disabled={!serverId || mute.isPending}>
          Mute
        </Button>
      </form>
    </TitledCard>
  );
}
