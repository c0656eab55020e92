// Shown when a page throws or its chunk fails to load (for instance after a deploy).

import { useIntl } from 'react-intl';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { LinkButton } from '@/components/link-button';
import { Button } from '@/components/ui/button';
import { app } from '../messages';

export function RouteError() {
  const error = useRouteError();
  const t = useIntl().formatMessage;
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : t(app.unknownError);
  return (
    <div className="flex min-h-full flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-xl font-semibold">{t(app.failedToLoad)}</h1>
      <p className="max-w-md text-sm break-words text-muted-foreground">{message}</p>
      <div className="flex gap-2">
        <Button onClick={() => window.location.reload()}>{t(app.reload)}</Button>
        <LinkButton to="/" label={app.home} />
      </div>
    </div>
  );
}
