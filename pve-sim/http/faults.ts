// Faults a simulated server can be switched into at run time, to test how the broker copes with
// slow, failing, unreachable, hanging, impersonated or unstable Proxmox servers — and with hostile
// ones: reachable and authenticated, but answering what a client must never trust (hostile.ts).

export interface Faults {
  /** Added before every API answer and websocket upgrade. */
  latencyMs: number;
  /** Fraction (0–1) of API requests answered with 500 Internal Server Error. */
  errorRate: number;
  /** Every API request is answered with this status (e.g. 502, 503), or null. */
  status5xx: number | null;
  /** The port is closed: connections are refused. */
  down: boolean;
  /** Connections are accepted and then nothing is ever sent (no TLS handshake, no answer). */
  blackhole: boolean;
  /** Answers start at once but their body trickles in over this many ms. */
  slowBodyMs: number;
  /** The server presents an unrelated self-signed certificate (as a man in the middle would). */
  wrongCert: boolean;
  /** Alternates up/down (refused) every this many ms, starting up; null = steady. */
  flapping: number | null;

  // --- hostile answers (API answers only, unless said otherwise) ---
  /** Every answer has a body of `bytes` bytes (a valid JSON guest list, padded), streamed with
   * back-pressure; without `declareLength` it is chunked, so only counting the bytes stops it. */
  hugeBody: { bytes: number; declareLength?: boolean } | null;
  /** `'data'`: the answer's `data` has the wrong JSON type (list ↔ object, text → number, …);
   * `'fields'`: it keeps its type, but every field of its objects has a wrong one;
   * `'deep'`: it is wrapped in 100,000 nested lists (valid JSON that recursive code chokes on). */
  wrongTypes: 'data' | 'fields' | 'deep' | null;
  /** Free text (names, tags, notes, comments, task log lines, exit statuses) ends in a lone
   * surrogate and a NUL as JSON escapes (`\ud800\u0000`), then in bytes that are not UTF-8: an
   * overlong `/`, an encoded UTF-16 surrogate, 0xFF, a lone continuation byte, a code point above
   * U+10FFFF and a truncated sequence right before the closing quote. */
  invalidUtf8: boolean;
  /** Every request, websocket upgrades included, is answered with this redirect (default 302);
   * `location` must be relative or on loopback (127.0.0.0/8, localhost, ::1). */
  redirect: { location: string; status?: 301 | 302 | 303 | 307 | 308 } | null;
  /** Status line, headers and body dribble out at this rate, so only a total deadline ends the
   * answer (a per-read idle timeout never fires). */
  slowloris: { bytesPerSecond: number } | null;
}

export const NO_FAULTS: Readonly<Faults> = {
  latencyMs: 0,
  errorRate: 0,
  status5xx: null,
  down: false,
  blackhole: false,
  slowBodyMs: 0,
  wrongCert: false,
  flapping: null,
  hugeBody: null,
  wrongTypes: null,
  invalidUtf8: false,
  redirect: null,
  slowloris: null,
};
