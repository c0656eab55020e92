// CSV import: paste or pick a file, preview with a dry run (every line's errors by line number,
// the header being line 1), then import the valid lines.
import { Upload } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { useIntl } from 'react-intl';
import { ListTable } from '@/components/list-table';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter, DialogHeading, type DialogOpenProps } from '@/components/ui/dialog';
import { CodeTextarea } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { TableCell } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { useImportServers } from '../api/import-servers';
import {
  dryRunClean,
  dryRunErrors,
  dryRunNames,
  importCount,
  importDescription,
  imported,
  linesSkipped,
  m,
} from '../messages';
import type { ImportResult } from '../types';

export const CSV_COLUMNS =
  'name,host,port,api_token,tls_mode,tls_fingerprint,use_tailscale,tailscale_hostname,connection_timeout_ms';

export function ImportDialog({ tenantId, open, onOpenChange }: DialogOpenProps & { tenantId: string }) {
  const [csv, setCsv] = useState(`${CSV_COLUMNS}\n`);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const run = useImportServers(tenantId);
  const t = useIntl().formatMessage;

  const close = (o: boolean) => {
    if (!o) {
      setPreview(null);
      run.reset();
    }
    onOpenChange(o);
  };
  const dryRun = () => run.mutate({ csv, dryRun: true }, { onSuccess: setPreview });
  const commit = () =>
    run.mutate(
      { csv, dryRun: false },
      {
        onSuccess: (r) => {
          const n = r.created;
          toast({
            variant: r.errors.length ? 'warning' : 'success',
            title: t(imported, { count: n }),
            description: r.errors.length ? t(linesSkipped, { count: r.errors.length }) : undefined,
          });
          close(false);
        },
      },
    );

  const count = preview ? preview.servers.length : null;
  const summary = preview
    ? preview.errors.length
      ? t(dryRunErrors, { created: preview.servers.length, errors: preview.errors.length })
      : t(dryRunClean, { created: preview.servers.length })
    : '';
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent wide>
        <DialogHeading
          title={t(m.importTitle)}
          description={t(importDescription, {
            columns: CSV_COLUMNS,
            code: (chunks: ReactNode[]) => <code className="text-xs break-all">{chunks}</code>,
          })}
        />
        <div className="grid gap-2">
          <div className="flex items-center justify-between">
            <Label htmlFor="import-csv">{t(m.csv)}</Label>
            <label className="inline-flex cursor-pointer items-center gap-1 text-sm text-brand-text hover:underline">
              <Upload className="size-4" /> {t(m.chooseFile)}
              <input
                type="file"
                accept=".csv,text/csv"
                className="sr-only"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file)
                    void file.text().then((text) => {
                      setCsv(text);
                      setPreview(null);
                    });
                }}
              />
            </label>
          </div>
          <CodeTextarea
            id="import-csv"
            rows={8}
            value={csv}
            onValueChange={(v) => {
              setCsv(v);
              setPreview(null);
            }}
          />
        </div>
        {run.error ? <ErrorAlert error={run.error} title={t(m.importFailed)} /> : null}
        {preview ? (
          <div className="grid gap-3" data-testid="import-preview">
            <Alert variant={preview.errors.length ? 'warning' : 'info'} title={t(m.dryRun)}>
              {preview.servers.length
                ? t(dryRunNames, { summary, names: preview.servers.map((x) => x.name).join(', ') })
                : summary}
            </Alert>
            {preview.errors.length ? (
              <div className="max-h-56 overflow-y-auto rounded-md border">
                <ListTable
                  columns={[{ label: t(m.columnLine), className: 'w-20' }, t(m.columnError)]}
                  items={preview.errors}
                  rowKey={(e) => `${e.line}-${e.message}`}
                >
                  {(e) => (
                    <>
                      <TableCell className="tabular-nums">{e.line}</TableCell>
                      <TableCell className="break-words">{e.message}</TableCell>
                    </>
                  )}
                </ListTable>
              </div>
            ) : null}
          </div>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={dryRun} disabled={run.isPending || csv.trim().split('\n').length < 2}>
            {t(m.preview)}
          </Button>
          <Button onClick={commit} disabled={run.isPending || !preview || count === 0}>
            {count !== null ? t(importCount, { count }) : t(m.import)}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
