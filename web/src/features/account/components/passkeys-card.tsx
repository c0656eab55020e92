// Passkeys on the account page: sign in with the device's lock (fingerprint, face, PIN or a
// security key) instead of a password, or as the second step after it. Several, named, removable.
import { Fingerprint, Trash } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { QueryView } from '@/components/query-view';
import { TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/misc';
import { toast, toastError } from '@/components/ui/toast';
import { errorMessage } from '@/lib/api-client';
import { formatRelative } from '@/lib/format';
import { useAddPasskey, usePasskeys, useRemovePasskey } from '../api/passkeys';
import { ac, lastUsed, passkeyAdded, passkeyRemoved, removePasskey } from '../messages';

export function PasskeysCard() {
  const passkeys = usePasskeys();
  const add = useAddPasskey();
  const remove = useRemovePasskey();
  const [name, setName] = useState('');
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(ac.passkeys)} description={t(ac.passkeysDescription)}>
      <QueryView query={passkeys} pending={<Skeleton className="h-16" />}>
        {(data) => (
          <div className="grid gap-3">
            {data.passkeys.length > 0 ? (
              <ul className="grid gap-2 text-sm" data-testid="passkey-list">
                {data.passkeys.map((p) => (
                  <li key={p.id} className="flex flex-wrap items-center gap-2 rounded-md border p-2">
                    <Fingerprint className="size-4 text-muted-foreground" aria-hidden />
                    <span className="font-medium">{p.name}</span>
                    <span className="text-muted-foreground">
                      {p.lastUsedAt ? t(lastUsed, { when: formatRelative(p.lastUsedAt) }) : t(ac.notUsed)}
                    </span>
                    <Button
                      size="sm"
                      variant="ghost"
                      className="ml-auto"
                      aria-label={t(removePasskey, { name: p.name })}
                      onClick={() =>
                        remove.mutate(p.id, {
                          onSuccess: () => toast({ variant: 'success', title: t(passkeyRemoved, { name: p.name }) }),
                          onError: toastError(t(ac.removeFailed)),
                        })
                      }
                    >
                      <Trash />
                    </Button>
                  </li>
                ))}
              </ul>
            ) : null}
            {add.error ? <Alert variant="destructive">{errorMessage(add.error)}</Alert> : null}
            <form
              className="flex flex-wrap items-end gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                add.mutate(name.trim(), {
                  onSuccess: (p) => {
                    setName('');
                    toast({ variant: 'success', title: t(passkeyAdded, { name: p.name }) });
                  },
                });
              }}
            >
              <TextField
                id="passkey-name"
                label={t(ac.newPasskeyName)}
                placeholder={t(ac.namePlaceholder)}
                className="min-w-48 flex-1"
                maxLength={60}
                value={name}
                onValueChange={setName}
              />
              <Button type="submit" disabled={!name.trim() || add.isPending}>
                <Fingerprint /> {t(ac.addPasskey)}
              </Button>
            </form>
          </div>
        )}
      </QueryView>
    </TitledCard>
  );
}
