// A page's frame: its header (title, description, actions) over its content, or a plain "No
// access" for someone the page is not for (the server refuses them anyway; this says why).
import type { ReactNode } from 'react';
import { EmptyState, PageHeader } from '@/components/ui/misc';

export function Page({
  title,
  description,
  actions,
  noAccess,
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** Why the caller may not use this page; falsy when they may. */
  noAccess?: string | false;
  children: ReactNode;
}) {
  if (noAccess) return <EmptyState title="No access" description={noAccess} />;
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      {children}
    </>
  );
}
