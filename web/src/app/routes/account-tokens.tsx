// /account/tokens: personal API tokens (Bearer nxs_…), shown once at creation, each limited to
// the scopes chosen for it.
import { useIntl } from 'react-intl';
import { DialogButton } from '@/components/dialog-button';
import { Page } from '@/components/page';
import { Alert } from '@/components/ui/alert';
import { CreateTokenDialog } from '@/features/tokens/components/create-token-dialog';
import { TokensTable } from '@/features/tokens/components/tokens-table';
import { openApi, scopesExplained, tk } from '@/features/tokens/messages';

export function Component() {
  const t = useIntl().formatMessage;
  return (
    <Page text={tk} actions={<DialogButton label={tk.newToken} dialog={(p) => <CreateTokenDialog {...p} />} />}>
      <TokensTable />
      <Alert className="mt-6">{t(tk.csrfNote)}</Alert>
      <section aria-labelledby="api-usage" className="mt-6 grid gap-2 rounded-xl border p-4 text-sm">
        <h2 id="api-usage" className="font-semibold">
          {t(tk.usingApi)}
        </h2>
        <p>
          {t(openApi, {
            link: (chunks) => (
              <a className="font-medium underline" href="/api/openapi.json" target="_blank" rel="noreferrer">
                {chunks}
              </a>
            ),
          })}
        </p>
        <pre className="overflow-x-auto rounded bg-muted p-3 text-xs">
          {`curl -H "Authorization: Bearer nxs_…" ${window.location.origin}/api/tenants`}
        </pre>
        <p className="text-muted-foreground">
          {t(scopesExplained, {
            b: (chunks) => <strong>{chunks}</strong>,
            envelope: '{ error: { code, message } }',
          })}
        </p>
      </section>
    </Page>
  );
}
