// CSV import and export of servers. Parsing (csv-parse) and per-line validation are pure here;
// the plan step decides duplicates and the tenant limit and runs again inside the transaction.
import {
  API_TOKEN_HINT,
  CreateServerBody,
  EXPORT_COLUMNS,
  IMPORT_COLUMNS,
  normalizeFingerprint,
} from '@common/schemas/servers';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../lib/app-error';
import type { ServerRow } from './servers.repo';

export const MAX_IMPORT_LINES = 1000;

export interface LineError {
  line: number;
  message: string;
}

export interface ImportCandidate {
  line: number;
  body: CreateServerBody;
}

const REQUIRED = ['name', 'host'] as const;
const BOOL_TRUE = new Set(['1', 'true', 'yes', 'on']);
const BOOL_FALSE = new Set(['0', 'false', 'no', 'off']);

/** Column names as the CSV has them, for messages about a field of the request body. */
const COLUMN_OF: Record<string, string> = {
  name: 'name',
  host: 'host',
  port: 'port',
  apiToken: 'api_token',
  tlsMode: 'tls_mode',
  tlsFingerprint: 'tls_fingerprint',
  useTailscale: 'use_tailscale',
  tailscaleHostname: 'tailscale_hostname',
  connectionTimeoutMs: 'connection_timeout_ms',
};

const withoutSecret = (tokenId: string | undefined) => (tokenId === undefined ? undefined : `${tokenId}=`);

function invalid(errors: LineError[]): AppError {
  return new AppError('server.import_invalid', errors[0]?.message ?? 'The CSV cannot be imported', {
    details: errors,
  });
}

/**
 * Reads the CSV: the header (line 1) must name the documented columns; each further record is
 * validated like a create request. Throws server.import_invalid when the file itself is unusable.
 */
export function parseServerCsv(text: string): { candidates: ImportCandidate[]; errors: LineError[] } {
  let records: { record: string[]; info: { lines: number; error?: unknown } }[];
  try {
    records = parse(text, {
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw invalid([{ line: e.lines ?? 1, message: `Not valid CSV: ${e.message ?? 'parse error'}` }]);
  }
  const [head, ...rows] = records;
  if (!head) throw invalid([{ line: 1, message: 'The CSV is empty: a header line is required' }]);
  const header = head.record.map((h) => h.toLowerCase());
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  const missing: string[] = REQUIRED.filter((c) => !header.includes(c));
  if (!header.includes('api_token') && !header.includes('token_id')) missing.push('api_token');
  const dupes = header.filter((h, i) => header.indexOf(h) !== i);
  const headerErrors: string[] = [];
  if (missing.length) headerErrors.push(`missing column(s): ${missing.join(', ')}`);
  if (unknown.length) headerErrors.push(`unknown column(s): ${unknown.join(', ')}`);
  if (dupes.length) headerErrors.push(`repeated column(s): ${[...new Set(dupes)].join(', ')}`);
  if (headerErrors.length) {
    throw invalid([{ line: 1, message: `Header: ${headerErrors.join('; ')} (columns: ${IMPORT_COLUMNS.join(',')})` }]);
  }
  if (rows.length > MAX_IMPORT_LINES) {
    throw invalid([{ line: 1, message: `At most ${MAX_IMPORT_LINES} servers per import` }]);
  }

  const candidates: ImportCandidate[] = [];
  const errors: LineError[] = [];
  for (const { record, info } of rows) {
    // A record's info names its last line; quoted newlines make it span several.
    const line = info.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== header.length) {
      errors.push({ line, message: `expected ${header.length} fields, found ${record.length}` });
      continue;
    }
    const cell = (name: string) => {
      const i = header.indexOf(name);
      const v = i >= 0 ? record[i] : undefined;
      return v === undefined || v === '' ? undefined : v;
    };
    const problems: string[] = [];
    const num = (name: string) => {
      const v = cell(name);
      if (v === undefined) return undefined;
      if (!/^\d{1,9}$/.test(v)) {
        problems.push(`${name}: must be a whole number, got "${v.slice(0, 40)}"`);
        return undefined;
      }
      return Number(v);
    };
    const bool = (name: string) => {
      const v = cell(name)?.toLowerCase();
      if (v === undefined) return undefined;
      if (BOOL_TRUE.has(v)) return true;
      if (BOOL_FALSE.has(v)) return false;
      problems.push(`${name}: must be true or false`);
      return undefined;
    };
    const input = {
      name: cell('name'),
      host: cell('host'),
      port: num('port'),
      apiToken: cell('api_token') ?? withoutSecret(cell('token_id')),
      tlsMode: cell('tls_mode')?.toLowerCase(),
      tlsFingerprint: cell('tls_fingerprint'),
      useTailscale: bool('use_tailscale'),
      tailscaleHostname: cell('tailscale_hostname'),
      connectionTimeoutMs: num('connection_timeout_ms'),
    };
    // An export leaves secrets out: ask for them by line rather than calling the token malformed.
    if (input.apiToken !== undefined && /^[^=\s]+=$/.test(input.apiToken)) {
      problems.push(
        `api_token: the secret is missing (exports leave secrets out) — add it after "=": ${input.apiToken}SECRET`,
      );
    }
    const parsed = CreateServerBody.safeParse(
      Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    );
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const column = COLUMN_OF[field] ?? field;
        if (field === 'apiToken' && problems.some((p) => p.startsWith('api_token: the secret is missing'))) continue;
        const message =
          field === 'apiToken'
            ? `api_token ${API_TOKEN_HINT}`
            : issue.code === 'invalid_type' && input[field as keyof typeof input] === undefined
              ? `${column}: required`
              : `${column}: ${issue.message}`;
        if (!problems.includes(message)) problems.push(message);
      }
    }
    if (problems.length || !parsed.success) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    candidates.push({ line, body: parsed.data });
  }
  return { candidates, errors };
}

export interface PlannedServer {
  line: number;
  body: CreateServerBody;
  host: string;
  port: number;
}

/**
 * Decides which candidates can be created, in line order: settings combinations (checked by
 * `check`), duplicates of existing servers or earlier lines, then the tenant's server limit.
 */
export function planImport(
  candidates: ImportCandidate[],
  existing: ReadonlyMap<string, string>,
  existingCount: number,
  maxServers: number,
  check: (body: CreateServerBody) => string | null,
): { accepted: PlannedServer[]; errors: LineError[] } {
  const taken = new Set(existing.keys());
  const accepted: PlannedServer[] = [];
  const errors: LineError[] = [];
  for (const c of candidates) {
    const port = c.body.port ?? 8006;
    const key = `${c.body.host}:${port}`;
    const problem = check(c.body);
    if (problem) {
      errors.push({ line: c.line, message: problem });
    } else if (taken.has(key)) {
      errors.push({ line: c.line, message: `duplicate: a server with host ${key} already exists in this tenant` });
    } else if (existingCount + accepted.length >= maxServers) {
      errors.push({ line: c.line, message: `over the tenant's server limit (${maxServers})` });
    } else {
      taken.add(key);
      accepted.push({ line: c.line, body: c.body, host: c.body.host, port });
    }
  }
  return { accepted, errors };
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe. */
export const defuseCell = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function serversCsv(rows: ServerRow[]): string {
  const lines = rows.map((r) =>
    [
      r.name,
      r.host,
      String(r.port),
      `${r.token_id}=`,
      r.tls_mode,
      r.tls_fingerprint ? (normalizeFingerprint(r.tls_fingerprint) ?? r.tls_fingerprint) : '',
      r.use_tailscale === 1 ? 'true' : 'false',
      r.tailscale_hostname ?? '',
      String(r.connection_timeout_ms),
    ].map(defuseCell),
  );
  return stringify([[...EXPORT_COLUMNS], ...lines]);
}
