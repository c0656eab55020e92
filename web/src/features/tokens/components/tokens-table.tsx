// The caller's API tokens with their scopes and dates; revoking one asks first.
import { KeyRound, Trash } from 'lucide-react';
import { useState } from 'react';
import { QueryTable } from '@/components/list-table';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/misc';
import { TableCell } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/format';
import { type Token, useTokens } from '../api/get-tokens';
import { useRevokeToken } from '../api/revoke-token';

export function TokensTable() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [revoking, setRevoking] = useState<Token | null>(null);
  return (
    <>
      <QueryTable
        query={tokens}
        rows={(d) => d.tokens}
        empty={
          <EmptyState
            icon={<KeyRound />}
            title="No tokens"
            description="Create one to use the Nexus API from a script."
          />
        }
        columns={['Name', 'Prefix', 'Scopes', 'Created', 'Last used', 'Expires']}
        actions
        rowKey={(t) => t.id}
      >
        {(t) => (
          <>
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
            <TableCell className="whitespace-nowrap">{t.lastUsedAt ? formatRelative(t.lastUsedAt) : 'never'}</TableCell>
            <TableCell className="whitespace-nowrap">{t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</TableCell>
            <TableCell className="text-right">
              <Button variant="ghost" size="sm" aria-label={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>
                <Trash /> Revoke
              </Button>
            </TableCell>
          </>
        )}
      </QueryTable>
      {revoke.error ? <ErrorAlert className="mt-4" error={revoke.error} /> : null}
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
