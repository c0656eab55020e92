// The frame of the signed-out pages: the brand above a centred card.
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { ThemeToggle } from '@/components/theme-toggle';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { Spinner } from '@/components/ui/misc';
import { app } from '../messages';

export function AuthCard({
  title,
  description,
  children = (
    <div className="flex justify-center py-6">
      <Spinner />
    </div>
  ),
}: {
  title: string;
  description?: ReactNode;
  /** The card's content; a spinner while there is none yet. */
  children?: ReactNode;
}) {
  return (
    <div className="relative flex min-h-full flex-col items-center justify-center gap-6 bg-gradient-to-b from-brand/10 via-background to-background p-4">
      <div className="absolute top-3 right-3">
        <ThemeToggle />
      </div>
      <div className="flex items-center gap-3">
        <span className="flex size-10 items-center justify-center rounded-lg bg-brand text-lg font-bold text-brand-foreground">
          N
        </span>
        <div>
          <p className="text-xl leading-tight font-semibold">Nexus</p>
          <p className="text-xs text-muted-foreground">{useIntl().formatMessage(app.tagline)}</p>
        </div>
      </div>
      <Card className="w-full max-w-sm">
        <CardHeader>
          <h1 className="text-lg leading-tight font-semibold">{title}</h1>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
    </div>
  );
}

/** Only same-site paths: `next` comes from the URL and must not send the user elsewhere. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}
