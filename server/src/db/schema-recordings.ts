// The console recordings table (beside schema.ts, which keeps the rest of the data model).

type Millis = number;

export interface ConsoleRecordingsTable {
  id: string;
  tenant_id: string;
  console_id: string | null;
  user_id: string | null;
  share_id: string | null;
  server_id: string;
  vmid: number | null;
  node: string | null;
  /** `vnc` or `terminal`. */
  kind: string;
  /** `recording`, `complete`, `failed` (nothing or only part recorded) or `interrupted` (the
   * instance stopped without closing it: playable up to its last chunk). */
  status: string;
  /** Relative to NEXUS_RECORDINGS_DIR. */
  file: string;
  key_id: string;
  started_at: Millis;
  ended_at: Millis | null;
  duration_ms: number | null;
  bytes: number;
  error: string | null;
}
