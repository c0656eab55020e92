// A page's frame: its header (title, description, actions) over its content, or a plain "No
// access" for someone the page is not for (the server refuses them anyway; this says why).
import type { ReactNode } from 'react';
import { FormattedMessage, type MessageDescriptor, useIntl } from 'react-intl';
import { cm } from '@/components/messages';
import { EmptyState, PageHeader } from '@/components/ui/misc';

/** A page's own words: its heading, the line under it, and why someone may not use it. */
export interface PageText {
  title: MessageDescriptor;
  description?: MessageDescriptor;
  noAccess?: MessageDescriptor;
}

export function Page({
  text,
  description = text.description && <FormattedMessage {...text.description} />,
  allowed = true,
  actions,
  children,
}: {
  text: PageText;
  /** The line under the title, when it says more than `text.description` (a name in it). */
  description?: ReactNode;
  /** Whether the caller may use this page; when not, they read `text.noAccess`. */
  allowed?: boolean;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const t = useIntl().formatMessage;
  if (!allowed) return <EmptyState title={t(cm.noAccess)} description={text.noAccess && t(text.noAccess)} />;
  return (
    <>
      <PageHeader title={t(text.title)} description={description} actions={actions} />
      {children}
    </>
  );
}
