// Creating a personal API token: its name, lifetime and scopes; the secret is shown once.
import { DEFAULT_TOKEN_SCOPES, TOKEN_SCOPES, type TokenScope } from '@common/permissions';
import { useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { DialogFooter, type DialogOpenProps } from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { fieldErrors } from '@/lib/api-client';
import { type NewToken, useCreateToken } from '../api/create-token';
import { tk } from '../messages';

const SCOPE_HELP: Record<TokenScope, MessageDescriptor> = {
  read: tk.scopeRead,
  operate: tk.scopeOperate,
  console: tk.scopeConsole,
};

export function CreateTokenDialog({ open, onOpenChange }: DialogOpenProps) {
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [scopes, setScopes] = useState<TokenScope[]>([...DEFAULT_TOKEN_SCOPES]);
  const toggle = (scope: TokenScope, on: boolean) =>
    setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  const [created, setCreated] = useState<NewToken | null>(null);
  const errs = fieldErrors(create.error);
  const t = useIntl().formatMessage;

  const close = (o: boolean) => {
    if (!o) {
      setCreated(null);
      setName('');
      setScopes([...DEFAULT_TOKEN_SCOPES]);
      create.reset();
    }
    onOpenChange(o);
  };
  const onSubmit = () => {
    const n = Number(days);
    const expiresAt = n > 0 ? new Date(Date.now() + n * 86_400_000).toISOString() : undefined;
    create.mutate({ name: name.trim(), scopes, ...(expiresAt ? { expiresAt } : {}) }, { onSuccess: setCreated });
  };

  return (
    <FormDialog
      open={open}
      onOpenChange={close}
      title={created ? t(tk.createdTitle) : t(tk.newTitle)}
      description={created ? t(tk.copyNow) : t(tk.sendAs)}
      mutation={create}
      onSubmit={onSubmit}
      submitLabel={t(tk.create)}
      ready={Boolean(name.trim()) && scopes.length > 0}
      result={
        created ? (
          <div className="grid gap-3">
            <code className="block rounded-md border bg-muted p-3 text-xs break-all" data-testid="new-token">
              {created.token}
            </code>
            <DialogFooter>
              <CopyButton value={created.token} label={t(tk.copy)} />
              <Button onClick={() => close(false)}>{t(tk.done)}</Button>
            </DialogFooter>
          </div>
        ) : null
      }
    >
      <TextField
        id="token-name"
        label={t(tk.name)}
        hint={t(tk.nameHint)}
        error={errs.name}
        value={name}
        onValueChange={setName}
        required
        maxLength={100}
      />
      <TextField
        id="token-days"
        label={t(tk.days)}
        hint={t(tk.daysHint)}
        error={errs.expiresAt}
        type="number"
        min={0}
        max={3650}
        value={days}
        onValueChange={setDays}
      />
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">{t(tk.mayDo)}</legend>
        {TOKEN_SCOPES.map((scope) => (
          <div key={scope} className="flex items-start gap-2">
            <Checkbox
              id={`token-scope-${scope}`}
              checked={scopes.includes(scope)}
              onCheckedChange={(on) => toggle(scope, on === true)}
            />
            <Label htmlFor={`token-scope-${scope}`} className="leading-snug font-normal">
              {t(SCOPE_HELP[scope])}
            </Label>
          </div>
        ))}
        <p className="text-xs text-muted-foreground">{t(tk.neverMore)}</p>
        {errs.scopes ? <p className="text-xs text-destructive-text">{errs.scopes}</p> : null}
      </fieldset>
    </FormDialog>
  );
}
