// The caller's API tokens with their scopes and dates; revoking one asks first.
import { KeyRound, Trash } from 'lucide-react';
import { useIntl } from 'react-intl';
import { useConfirmedAction } from '@/components/confirmed-action';
import { QueryTable } from '@/components/list-table';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/misc';
import { TableCell } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/format';
import { type Token, useTokens } from '../api/get-tokens';
import { useRevokeToken } from '../api/revoke-token';
import { revokeName, revokeTokenText, tk } from '../messages';

export function TokensTable() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const tr = useIntl().formatMessage;
  const revoker = useConfirmedAction<Token>(revokeTokenText, revoke, 'id', 'name');
  return (
    <>
      <QueryTable
        query={tokens}
        rows={(d) => d.tokens}
        empty={<EmptyState icon={<KeyRound />} title={tr(tk.none)} description={tr(tk.noneHint)} />}
        columns={[tr(tk.name), tr(tk.prefix), tr(tk.scopes), tr(tk.created), tr(tk.lastUsed), tr(tk.expires)]}
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
            <TableCell className="whitespace-nowrap">
              {t.lastUsedAt ? formatRelative(t.lastUsedAt) : tr(tk.never)}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              {t.expiresAt ? formatDateTime(t.expiresAt) : tr(tk.never)}
            </TableCell>
            <TableCell className="text-right">
              <Button
                variant="ghost"
                size="sm"
                aria-label={tr(revokeName, { name: t.name })}
                onClick={() => revoker.ask(t)}
              >
                <Trash /> {tr(revokeTokenText.confirm)}
              </Button>
            </TableCell>
          </>
        )}
      </QueryTable>
      {revoke.error ? <ErrorAlert className="mt-4" error={revoke.error} /> : null}
      {revoker.dialog}
    </>
  );
}
