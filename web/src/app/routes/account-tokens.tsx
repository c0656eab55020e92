// /account/tokens: personal API tokens (Bearer nxs_…), shown once at creation, each limited to
// the scopes chosen for it.
import { DEFAULT_TOKEN_SCOPES, TOKEN_SCOPES, type TokenScope } from '@common/permissions';
import { KeyRound, Plus, Trash } from 'lucide-react';
import { useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { FormDialog } from '@/components/form-dialog';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { type NewToken, useCreateToken } from '@/features/tokens/api/create-token';
import { type Token, useTokens } from '@/features/tokens/api/get-tokens';
import { useRevokeToken } from '@/features/tokens/api/revoke-token';
import { fieldErrors } from '@/lib/api-client';
import { formatDateTime, formatRelative } from '@/lib/format';

const SCOPE_HELP: Record<TokenScope, string> = {
  read: 'Read: lists, status, charts and the audit log your role can see (GET requests).',
  operate: 'Operate: changes your role allows, such as power actions, servers, members and settings.',
  console: 'Console: open guest consoles.',
};

function CreateTokenDialog({ open, onOpenChange }: { open: boolean; onOpenChange(o: boolean): void }) {
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
      <Field id="token-name" label="Name" hint="What uses it, e.g. “monitoring script”." error={errs.name}>
        <Input id="token-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </Field>
      <Field
        id="token-days"
        label="Expires after (days)"
        hint="0 for a token that never expires."
        error={errs.expiresAt}
      >
        <Input
          id="token-days"
          type="number"
          min={0}
          max={3650}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
      </Field>
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

export function Component() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal tokens act as you, with your permissions, for scripts and tools."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus /> New token
          </Button>
        }
      />
      {tokens.isPending ? (
        <Skeleton className="h-40" />
      ) : tokens.isError ? (
        <ErrorAlert error={tokens.error} />
      ) : tokens.data.tokens.length === 0 ? (
        <EmptyState
          icon={<KeyRound />}
          title="No tokens"
          description="Create one to use the Nexus API from a script."
        />
      ) : (
        <Card>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Prefix</TableHead>
                <TableHead>Scopes</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tokens.data.tokens.map((t) => (
                <TableRow key={t.id}>
                  <TableCell className="font-medium">{t.name}</TableCell>
                  <TableCell>
                    <code className="text-xs">{t.prefix}…</code>
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      {t.scopes.map((s) => (
                        <Badge key={s} variant="secondary">
                          {s}
                        </Badge>
                      ))}
                    </div>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{formatDateTime(t.createdAt)}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    {t.lastUsedAt ? formatRelative(t.lastUsedAt) : 'never'}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}
                  </TableCell>
                  <TableCell className="text-right">
                    <Button variant="ghost" size="sm" aria-label={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>
                      <Trash /> Revoke
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
      {revoke.error ? <ErrorAlert className="mt-4" error={revoke.error} /> : null}
      <Alert className="mt-6">
        Tokens need no CSRF header; revoke any token you no longer use. Changing your password revokes them all unless
        you choose to keep them.
      </Alert>
      <CreateTokenDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="Anything using this token stops working at once."
        confirmLabel="Revoke"
        pending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
      />
    </>
  );
}
