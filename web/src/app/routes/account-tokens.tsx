// /account/tokens: personal API tokens (Bearer nxs_…), shown once at creation, each limited to
// the scopes chosen for it.
import { Plus } from 'lucide-react';
import { DialogButton } from '@/components/dialog-button';
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/ui/misc';
import { CreateTokenDialog } from '@/features/tokens/components/create-token-dialog';
import { TokensTable } from '@/features/tokens/components/tokens-table';

export function Component() {
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal tokens act as you, with your permissions, for scripts and tools."
        actions={
          <DialogButton dialog={(p) => <CreateTokenDialog {...p} />}>
            <Plus /> New token
          </DialogButton>
        }
      />
      <TokensTable />
      <Alert className="mt-6">
        Tokens need no CSRF header; revoke any token you no longer use. Changing your password revokes them all unless
        you choose to keep them.
      </Alert>
      <section aria-labelledby="api-usage" className="mt-6 grid gap-2 rounded-xl border p-4 text-sm">
        <h2 id="api-usage" className="font-semibold">
          Using the API
        </h2>
        <p>
          Send the token as a Bearer header. Every route, its parameters and answers are described in the{' '}
          <a className="font-medium underline" href="/api/openapi.json" target="_blank" rel="noreferrer">
            OpenAPI document
          </a>{' '}
          (open it in Swagger UI, Postman, or generate a client from it).
        </p>
        <pre className="overflow-x-auto rounded bg-muted p-3 text-xs">
          {`curl -H "Authorization: Bearer nxs_…" ${window.location.origin}/api/tenants`}
        </pre>
        <p className="text-muted-foreground">
          Scopes narrow what a token may do: <strong>read</strong> (GET), <strong>operate</strong> (changes, power
          actions), <strong>console</strong> (open consoles). Errors come as {'{ error: { code, message } }'}.
        </p>
      </section>
    </>
  );
}
