// Text → X11 keysyms, for typing a paste into guests that have no clipboard support. Latin-1
// characters are their own keysym; other Unicode uses the 0x01000000 range (X11 convention).
export const XK = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Escape: 0xff1b,
} as const;

export function keysymFor(ch: string): number | null {
  const cp = ch.codePointAt(0);
  if (cp === undefined) return null;
  if (ch === '\n' || ch === '\r') return XK.Return;
  if (ch === '\t') return XK.Tab;
  if (ch === '\b') return XK.BackSpace;
  if (cp < 0x20 || cp === 0x7f) return null;
  if (cp <= 0xff) return cp;
  return 0x01000000 | cp;
}

/** Keysyms for a text, with CRLF folded into one Return and unsupported control characters dropped. */
export function keysymsFor(text: string): number[] {
  const out: number[] = [];
  for (const ch of text.replace(/\r\n/g, '\n')) {
    const k = keysymFor(ch);
    if (k !== null) out.push(k);
  }
  return out;
}
