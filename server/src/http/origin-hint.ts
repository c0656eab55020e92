// What to tell someone whose browser's Origin Nexus refused: usually Nexus runs on another port or
// host name than NEXUS_PUBLIC_URL says, and one setting admits it.

export function originHint(origin: string, allowed: readonly string[]): string {
  const expected = allowed[0] ?? 'the configured public URL';
  return (
    `Cross-origin request refused: this page is at ${origin}, but Nexus expects ${expected}. ` +
    'Set NEXUS_PUBLIC_URL to the address users open (or add this one to NEXUS_ALLOWED_ORIGINS) and restart Nexus.'
  );
}
