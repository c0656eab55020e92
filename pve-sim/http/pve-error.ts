// The error a handler throws to answer like pve-http-server: status, a message that becomes the
// HTTP reason phrase (first line) and the body's `message`, and per-parameter `errors` for 400s.

export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

/** `die "...\n"` inside a handler: a 500 whose message keeps Perl's trailing newline. */
export function handlerError(message: string): PveError {
  return new PveError(500, `${message}\n`);
}

/** PVE::Exception::raise_param_exc: 400 with the per-parameter messages in `errors`. */
export function paramError(errors: Record<string, string>): PveError {
  return new PveError(400, 'Parameter verification failed.\n', errors);
}

/** PVE::Exception::raise_perm_exc as RPCEnvironment raises it: `check` names the first missing
 * privilege, `check_any` lists all of them joined with `|`. */
export function permissionError(path: string, privs: readonly string[]): PveError {
  return new PveError(403, `Permission check failed (${path}, ${privs.join('|')})\n`);
}

/** Every 401 from pveproxy goes through the same delayed answer; the message varies. */
export function authError(message: string): PveError {
  return new PveError(401, message.endsWith('\n') ? message : `${message}\n`);
}
