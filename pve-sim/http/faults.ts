// Faults a simulated server can be switched into at run time, to test how the broker copes with
// slow, failing, unreachable, hanging, impersonated or unstable Proxmox servers.

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
};
