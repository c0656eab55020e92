// Providers around the router: server state (TanStack Query), language (i18n), theme, tooltips, toasts, and the
// session-expiry handler that sends any 401 back to /login?next=<where the user was>.
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Toaster } from '@/components/ui/toast';
import { TooltipProvider } from '@/components/ui/tooltip';
import { I18nProvider } from '@/i18n/i18n-provider';
import { setUnauthorizedHandler } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';
import { ThemeProvider } from '@/lib/theme';
import { loginPathFor } from './layouts/require-auth';
import { router } from './router';

const PUBLIC_PREFIXES = ['/login', '/signup', '/setup/', '/invitations/'];

export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => {
    const qc = createQueryClient();
    setUnauthorizedHandler(() => {
      const { pathname, search } = window.location;
      if (PUBLIC_PREFIXES.some((p) => pathname.startsWith(p))) return;
      qc.clear();
      void router.navigate(loginPathFor(pathname + search, 'expired'), { replace: true });
    });
    return qc;
  });
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <ThemeProvider>
          <TooltipProvider delayDuration={300}>
            {children}
            <Toaster />
          </TooltipProvider>
        </ThemeProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
