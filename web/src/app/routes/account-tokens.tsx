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
    </>
  );
}
