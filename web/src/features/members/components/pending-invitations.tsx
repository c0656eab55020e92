// Invitations sent and not yet used, with who sent them and when they expire; tenant admins
// revoke one here (its link stops working at once). Hidden while there are none.
import { useState } from 'react';
import { ListTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { toast, toastError } from '@/components/ui/toast';
import { formatDateTime, formatRelative } from '@/lib/format';
import { type PendingInvitation, useInvitations, useRevokeInvitation } from '../api/invitations';

export function PendingInvitations({ tenantId }: { tenantId: string }) {
  const invitations = useInvitations(tenantId);
  const revoke = useRevokeInvitation(tenantId);
  const [revoking, setRevoking] = useState<PendingInvitation | null>(null);
  const list = invitations.data?.invitations ?? [];
  if (list.length === 0) return null;
  return (
    <Card className="mt-6">
      <CardHeader>
        <CardTitle className="text-base">Pending invitations</CardTitle>
      </CardHeader>
      <CardContent className="p-0">
        <ListTable
          columns={['E-mail', 'Role', { label: 'Invited by', className: 'hidden md:table-cell' }, 'Expires']}
          actions
          items={list}
          rowKey={(i) => i.id}
        >
          {(i) => (
            <>
              <TableCell className="max-w-64 truncate">{i.email}</TableCell>
              <TableCell>
                <Badge variant="secondary">{i.role}</Badge>
              </TableCell>
              <TableCell className="hidden md:table-cell">{i.invitedBy ?? '—'}</TableCell>
              <TableCell className="whitespace-nowrap" title={formatDateTime(i.expiresAt)}>
                {formatRelative(i.expiresAt)}
              </TableCell>
              <TableCell>
                <RowActions>
                  <DeleteRowButton label={`Revoke the invitation for ${i.email}`} onClick={() => setRevoking(i)} />
                </RowActions>
              </TableCell>
            </>
          )}
        </ListTable>
      </CardContent>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={`Revoke the invitation for ${revoking?.email ?? ''}?`}
        description="The link stops working at once. You can invite them again later."
        confirmLabel="Revoke"
        pending={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              toast({ variant: 'success', title: `Invitation for ${revoking.email} revoked` });
              setRevoking(null);
            },
            onError: toastError('Not revoked'),
          })
        }
      />
    </Card>
  );
}
