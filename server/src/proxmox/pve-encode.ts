// Encoding rules of the Proxmox VE API: parameters percent-encoded with encodeURIComponent (PVE
// splits form bodies on `&` and `;` and turns `+` into a space), booleans as 1/0, paths checked.

export type PveParamValue = string | number | boolean | null | undefined;
export type PveParams = Readonly<Record<string, PveParamValue>>;

/** `a=1&b=x%3By`; null/undefined are left out, booleans become 1/0. */
export function encodeParams(params: PveParams | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    let text: string;
    if (typeof value === 'boolean') text = value ? '1' : '0';
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError(`parameter ${key} is not a finite number`);
      text = String(value);
    } else text = value;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.join('&');
}

/** Builds an API path with every interpolated value encoded as one segment: pvePath`/nodes/${node}/qemu`. */
export function pvePath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += encodeURIComponent(String(v)) + (strings[i + 1] ?? '');
  });
  return out;
}

const PATH_CHARS = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * An API path below /api2/json: starts with `/`, no query or fragment, no `.`/`..` segments,
 * no raw spaces or backslashes. Returns it unchanged or throws.
 */
export function checkApiPath(path: string): string {
  if (!PATH_CHARS.test(path)) throw new TypeError(`invalid Proxmox API path: ${JSON.stringify(path.slice(0, 200))}`);
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new TypeError('invalid percent-encoding in Proxmox API path');
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) {
      throw new TypeError('Proxmox API path segments must not be . or .. or contain slashes');
    }
  }
  return path;
}
