// /account/tokens: personal API tokens (Bearer nxs_…), shown once at creation, each limited to
// the scopes chosen for it.
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/misc';
import { CreateTokenDialog } from '@/features/tokens/components/create-token-dialog';
import { TokensTable } from '@/features/tokens/components/tokens-table';

export function Component() {
  const [creating, setCreating] = useState(false);
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
      <TokensTable />
      <Alert className="mt-6">
        Tokens need no CSRF header; revoke any token you no longer use. Changing your password revokes them all unless
        you choose to keep them.
      </Alert>
      <CreateTokenDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
