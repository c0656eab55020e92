// A person in a list: their name (or e-mail when they gave none), with the e-mail below it and
// "you" beside the caller's own row.
export function UserIdentity({ fullName, email, self }: { fullName: string | null; email: string; self: boolean }) {
  return (
    <>
      <span className="block truncate font-medium">{fullName || email}</span>
      <span className="block truncate text-xs text-muted-foreground">
        {email}
        {self ? ' · you' : ''}
      </span>
    </>
  );
}
