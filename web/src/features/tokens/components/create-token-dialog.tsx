// Creating a personal API token: its name, lifetime and scopes; the secret is shown once.
import { DEFAULT_TOKEN_SCOPES, TOKEN_SCOPES, type TokenScope } from '@common/permissions';
import { useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { TextField } from '@/components/text-field';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { DialogFooter, type DialogOpenProps } from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { fieldErrors } from '@/lib/api-client';
import { type NewToken, useCreateToken } from '../api/create-token';

const SCOPE_HELP: Record<TokenScope, string> = {
  read: 'Read: lists, status, charts and the audit log your role can see (GET requests).',
  operate: 'Operate: changes your role allows, such as power actions, servers, members and settings.',
  console: 'Console: open guest consoles.',
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
      title={created ? 'Token created' : 'New API token'}
      description={created ? 'Copy it now: it is shown only this once.' : 'Send it as "Authorization: Bearer <token>".'}
      error={create.error}
      onSubmit={onSubmit}
      submitLabel="Create token"
      submitDisabled={!name.trim() || scopes.length === 0 || create.isPending}
      result={
        created ? (
          <div className="grid gap-3">
            <code className="block rounded-md border bg-muted p-3 text-xs break-all" data-testid="new-token">
              {created.token}
            </code>
            <DialogFooter>
              <CopyButton value={created.token} label="Copy token" />
              <Button onClick={() => close(false)}>Done</Button>
            </DialogFooter>
          </div>
        ) : null
      }
    >
      <TextField
        id="token-name"
        label="Name"
        hint="What uses it, e.g. “monitoring script”."
        error={errs.name}
        value={name}
        onValueChange={setName}
        required
        maxLength={100}
      />
      <TextField
        id="token-days"
        label="Expires after (days)"
        hint="0 for a token that never expires."
        error={errs.expiresAt}
        type="number"
        min={0}
        max={3650}
        value={days}
        onValueChange={setDays}
      />
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">What it may do</legend>
        {TOKEN_SCOPES.map((scope) => (
          <div key={scope} className="flex items-start gap-2">
            <Checkbox
              id={`token-scope-${scope}`}
              checked={scopes.includes(scope)}
              onCheckedChange={(on) => toggle(scope, on === true)}
            />
            <Label htmlFor={`token-scope-${scope}`} className="leading-snug font-normal">
              {SCOPE_HELP[scope]}
            </Label>
          </div>
        ))}
        <p className="text-xs text-muted-foreground">
          Never more than your role allows. No token can manage tokens, change your account or manage users.
        </p>
        {errs.scopes ? <p className="text-xs text-destructive-text">{errs.scopes}</p> : null}
      </fieldset>
    </FormDialog>
  );
}
