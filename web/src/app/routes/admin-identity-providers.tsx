// /admin/identity-providers: the sign-in providers (single sign-on) — the environment's, read-only,
// and those global admins add, change and remove.

import { KeyRound, Pencil, Plus } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useConfirmedAction } from '@/components/confirmed-action';
import { QueryTable } from '@/components/list-table';
import { Page } from '@/components/page';
import { Marker } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { useMeData } from '@/features/auth/api/get-me';
import {
  type IdentityProvider,
  useDeleteIdentityProvider,
  useIdentityProviders,
} from '@/features/identity-providers/api/identity-providers';
import { IdentityProviderDialog } from '@/features/identity-providers/components/identity-provider-dialog';
import { changeName, ip, removeName, removeProviderText } from '@/features/identity-providers/messages';

export function Component() {
  const me = useMeData();
  const providers = useIdentityProviders();
  const del = useDeleteIdentityProvider();
  const [editing, setEditing] = useState<IdentityProvider | 'new' | null>(null);
  const t = useIntl().formatMessage;
  const remover = useConfirmedAction<IdentityProvider>(removeProviderText, del, 'id', 'name');
  return (
    <Page
      text={ip}
      allowed={me.can.manageUsers}
      actions={
        <Button onClick={() => setEditing('new')}>
          <Plus /> {t(ip.add)}
        </Button>
      }
    >
      <QueryTable
        query={providers}
        rows={(d) => d.providers}
        pending={<Skeleton className="h-32" />}
        empty={<EmptyState icon={<KeyRound />} title={t(ip.none)} description={t(ip.noneHint)} />}
        columns={[t(ip.provider), t(ip.issuer), t(ip.roleMap)]}
        actions
        rowKey={(p) => p.id}
      >
        {(p) => (
          <>
            <TableCell>
              <span className="font-medium">{p.name}</span>{' '}
              <span className="text-xs text-muted-foreground">{p.id}</span>
              <Marker when={p.fromEnvironment} label={ip.environment} />
              <Marker when={p.trustMfa} label={ip.mfaTrusted} variant="success" />
            </TableCell>
            <TableCell className="max-w-64 truncate font-mono text-xs">{p.issuer}</TableCell>
            <TableCell className="max-w-64 truncate font-mono text-xs">{p.roleMap || '–'}</TableCell>
            <TableCell>
              {p.fromEnvironment ? null : (
                <RowActions>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={t(changeName, { name: p.name })}
                    onClick={() => setEditing(p)}
                  >
                    <Pencil />
                  </Button>
                  <DeleteRowButton label={t(removeName, { name: p.name })} onClick={() => remover.ask(p)} />
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
      {remover.dialog}
    </Page>
  );
}
