// /admin/identity-providers: the sign-in providers (single sign-on) — the environment's, read-only,
// and those global admins add, change and remove.
import { KeyRound, Pencil, Plus } from 'lucide-react';
import { useState } from 'react';
import { QueryTable } from '@/components/list-table';
import { Page } from '@/components/page';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { useMeData } from '@/features/auth/api/get-me';
import {
  type IdentityProvider,
  useDeleteIdentityProvider,
  useIdentityProviders,
} from '@/features/identity-providers/api/identity-providers';
import { IdentityProviderDialog } from '@/features/identity-providers/components/identity-provider-dialog';

export function Component() {
  const me = useMeData();
  const providers = useIdentityProviders();
  const del = useDeleteIdentityProvider();
  const [editing, setEditing] = useState<IdentityProvider | 'new' | null>(null);
  const [deleting, setDeleting] = useState<IdentityProvider | null>(null);
  return (
    <Page
      title="Sign-in providers"
      description="Single sign-on with OpenID Connect: one button per provider on the sign-in page."
      noAccess={!me.can.manageUsers && 'Only global administrators manage sign-in providers.'}
      actions={
        <Button onClick={() => setEditing('new')}>
          <Plus /> Add provider
        </Button>
      }
    >
      <QueryTable
        query={providers}
        rows={(d) => d.providers}
        pending={<Skeleton className="h-32" />}
        empty={
          <EmptyState icon={<KeyRound />} title="No sign-in providers" description="People sign in with passwords." />
        }
        columns={['Provider', 'Issuer', 'Role map']}
        actions
        rowKey={(p) => p.id}
      >
        {(p) => (
          <>
            <TableCell>
              <span className="font-medium">{p.name}</span>{' '}
              <span className="text-xs text-muted-foreground">{p.id}</span>
              {p.fromEnvironment ? (
                <Badge variant="secondary" className="ml-2">
                  environment
                </Badge>
              ) : null}
              {p.trustMfa ? (
                <Badge variant="success" className="ml-2">
                  MFA trusted
                </Badge>
              ) : null}
            </TableCell>
            <TableCell className="max-w-64 truncate font-mono text-xs">{p.issuer}</TableCell>
            <TableCell className="max-w-64 truncate font-mono text-xs">{p.roleMap || '–'}</TableCell>
            <TableCell>
              {p.fromEnvironment ? null : (
                <RowActions>
                  <Button variant="ghost" size="sm" aria-label={`Change ${p.name}`} onClick={() => setEditing(p)}>
                    <Pencil />
                  </Button>
                  <DeleteRowButton label={`Remove ${p.name}`} onClick={() => setDeleting(p)} />
                </RowActions>
              )}
            </TableCell>
          </>
        )}
      </QueryTable>
      {editing ? (
        <IdentityProviderDialog
          key={editing === 'new' ? 'new' : editing.id}
          open
          onOpenChange={(o) => !o && setEditing(null)}
          editing={editing === 'new' ? null : editing}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Remove ${deleting?.name ?? ''}?`}
        description="Its button goes away; accounts made through it stay (with their memberships)."
        confirmLabel="Remove"
        onConfirm={() => {
          const p = deleting;
          setDeleting(null);
          if (!p) return;
          del.mutate(p.id, {
            onSuccess: () => toast({ variant: 'success', title: `${p.name} removed` }),
            onError: toastError(`Could not remove ${p.name}`),
          });
        }}
      />
    </Page>
  );
}
