// A person in a list: their name (or e-mail when they gave none), with the e-mail below it and
// "you" beside the caller's own row.
import { useIntl } from 'react-intl';
import { us } from '../messages';

export function UserIdentity({ fullName, email, self }: { fullName: string | null; email: string; self: boolean }) {
  const t = useIntl().formatMessage;
  return (
    <>
      <span className="block truncate font-medium">{fullName || email}</span>
      <span className="block truncate text-xs text-muted-foreground">
        {email}
        {self ? ` · ${t(us.you)}` : ''}
      </span>
    </>
  );
}
