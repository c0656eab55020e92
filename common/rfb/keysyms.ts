// X11 keysym names for the keys tests and the console UI talk about (Ctrl+Alt+Del, function keys…).
// Printable Latin-1 characters are their own keysyms, so they need no table.

export const KEYSYMS = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Pause: 0xff13,
  Scroll_Lock: 0xff14,
  Sys_Req: 0xff15,
  Escape: 0xff1b,
  Home: 0xff50,
  Left: 0xff51,
  Up: 0xff52,
  Right: 0xff53,
  Down: 0xff54,
  Page_Up: 0xff55,
  Page_Down: 0xff56,
  End: 0xff57,
  Print: 0xff61,
  Insert: 0xff63,
  Menu: 0xff67,
  Num_Lock: 0xff7f,
  KP_Enter: 0xff8d,
  F1: 0xffbe,
  F2: 0xffbf,
  F3: 0xffc0,
  F4: 0xffc1,
  F5: 0xffc2,
  F6: 0xffc3,
  F7: 0xffc4,
  F8: 0xffc5,
  F9: 0xffc6,
  F10: 0xffc7,
  F11: 0xffc8,
  F12: 0xffc9,
  Shift_L: 0xffe1,
  Shift_R: 0xffe2,
  Control_L: 0xffe3,
  Control_R: 0xffe4,
  Caps_Lock: 0xffe5,
  Meta_L: 0xffe7,
  Meta_R: 0xffe8,
  Alt_L: 0xffe9,
  Alt_R: 0xffea,
  Super_L: 0xffeb,
  Super_R: 0xffec,
  Delete: 0xffff,
  space: 0x20,
} as const satisfies Record<string, number>;

export type KeysymName = keyof typeof KEYSYMS;

const NAMES = new Map<number, string>(Object.entries(KEYSYMS).map(([name, sym]) => [sym, name]));

/** A keysym from a name in KEYSYMS, a single Latin-1 character, or a number (returned as is). */
export function keysymOf(key: KeysymName | string | number): number {
  if (typeof key === 'number') return key;
  const known = (KEYSYMS as Record<string, number>)[key];
  if (known !== undefined) return known;
  const code = key.length === 1 ? key.charCodeAt(0) : -1;
  if (code >= 0x20 && code <= 0xff && code !== 0x7f) return code;
  throw new RangeError(`unknown keysym name ${JSON.stringify(key)}`);
}

/** A readable name for a keysym: its KEYSYMS name, the character, or hex. */
export function keysymName(keysym: number): string {
  const name = NAMES.get(keysym);
  if (name !== undefined) return name;
  if ((keysym >= 0x21 && keysym <= 0x7e) || (keysym >= 0xa0 && keysym <= 0xff)) return String.fromCharCode(keysym);
  // Unicode keysyms (0x01000000 + code point), which noVNC uses for characters beyond Latin-1.
  if (keysym >= 0x01000100 && keysym <= 0x0110ffff) return String.fromCodePoint(keysym - 0x01000000);
  return `0x${keysym.toString(16)}`;
}
