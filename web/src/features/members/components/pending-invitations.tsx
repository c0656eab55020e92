// Invitations sent and not yet used, with who sent them and when they expire; tenant admins
// revoke one here (its link stops working at once). Hidden while there are none.
import { useIntl } from 'react-intl';
import { useConfirmedAction } from '@/components/confirmed-action';
import { ListTable } from '@/components/list-table';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { DeleteRowButton, RowActions, TableCell } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/format';
import { type PendingInvitation, useInvitations, useRevokeInvitation } from '../api/invitations';
import { mm, revokeFor, revokeInvitationText } from '../messages';

export function PendingInvitations({ tenantId }: { tenantId: string }) {
  const invitations = useInvitations(tenantId);
  const revoke = useRevokeInvitation(tenantId);
  const list = invitations.data?.invitations ?? [];
  const t = useIntl().formatMessage;
  const revoker = useConfirmedAction<PendingInvitation>(revokeInvitationText, revoke, 'id', 'email');
  if (list.length === 0) return null;
  return (
    <Card className="mt-6">
      <CardHeader>
        <CardTitle className="text-base">{t(mm.pending)}</CardTitle>
      </CardHeader>
      <CardContent className="p-0">
        <ListTable
          columns={[
            t(mm.email),
            t(mm.role),
            { label: t(mm.invitedBy), className: 'hidden md:table-cell' },
            t(mm.expires),
          ]}
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
                  <DeleteRowButton label={t(revokeFor, { email: i.email })} onClick={() => revoker.ask(i)} />
                </RowActions>
              </TableCell>
            </>
          )}
        </ListTable>
      </CardContent>
      {revoker.dialog}
    </Card>
  );
}
