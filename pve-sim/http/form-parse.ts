// Decodes query strings and form bodies the way pve-http-server (Perl's URI/CGI) does: pairs are
// split on `&` AND `;`, `+` becomes a space, and repeated keys are joined with NUL. This is why
// a vncticket that is not percent-encoded breaks on a real server, and must break here too.

function decode(component: string): string {
  const spaced = component.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Perl's uri_unescape leaves malformed escapes alone instead of failing.
    return spaced.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(/[&;]/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const previous = out[key];
    out[key] = previous === undefined ? value : `${previous}\0${value}`;
  }
  return out;
}
