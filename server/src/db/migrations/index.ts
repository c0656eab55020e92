// The ordered list of migrations. Each gets the dialect's portable column types; where SQL must
// differ by dialect, the migration says so in a named helper, never inline.
import type { ColumnDataType as DataTypeExpression, Kysely, Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../database';
import * as m0001 from './0001-initial';
import * as m202611281300 from './202611281300-consoles';
import * as m202611281400 from './202611281400-realtime';
import * as m202611281500 from './202611281500-leases';
import * as m202612011000 from './202612011000-membership-restricted';
import * as m202612011200 from './202612011200-token-scopes';
import * as m202612011210 from './202612011210-audit-chain-keys';
import * as m202612041600 from './202612041600-console-ticket-budget';
import * as m202612041610 from './202612041610-login-attempt-in-flight';
import * as m202612150900 from './202612150900-server-verified';
import * as m202612160900 from './202612160900-terminals';
import * as m202612170900 from './202612170900-console-shares';
import * as m202612180900 from './202612180900-second-factors';
import * as m202612190900 from './202612190900-sso';
import * as m202612200900 from './202612200900-passkeys';
import * as m202612210900 from './202612210900-identity-providers';
import * as m202612220900 from './202612220900-factors-reset-notice';
import * as m202612230900 from './202612230900-outbound-alerts';
import * as m202612240900 from './202612240900-recordings';
import * as m202612250900 from './202612250900-user-locale';
import * as m202612260900 from './202612260900-channel-language';

export interface MigrationContext {
  dialect: Dialect;
  types: { millis: DataTypeExpression; real: DataTypeExpression };
}

type MigrationModule = {
  up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
  down?(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
};

const MIGRATIONS: Record<string, MigrationModule> = {
  '0001-initial': m0001,
  '202611281300-consoles': m202611281300,
  '202611281400-realtime': m202611281400,
  '202611281500-leases': m202611281500,
  '202612011000-membership-restricted': m202612011000,
  '202612011200-token-scopes': m202612011200,
  '202612011210-audit-chain-keys': m202612011210,
  '202612041600-console-ticket-budget': m202612041600,
  '202612041610-login-attempt-in-flight': m202612041610,
  '202612150900-server-verified': m202612150900,
  '202612160900-terminals': m202612160900,
  '202612170900-console-shares': m202612170900,
  '202612180900-second-factors': m202612180900,
  '202612190900-sso': m202612190900,
  '202612200900-passkeys': m202612200900,
  '202612210900-identity-providers': m202612210900,
  '202612220900-factors-reset-notice': m202612220900,
  '202612230900-outbound-alerts': m202612230900,
  '202612240900-recordings': m202612240900,
  '202612250900-user-locale': m202612250900,
  '202612260900-channel-language': m202612260900,
};

export function migrationProvider(dialect: Dialect, extra: Record<string, MigrationModule> = {}): MigrationProvider {
  const ctx: MigrationContext = {
    dialect,
    types: { millis: 'bigint', real: dialect === 'postgres' ? 'double precision' : 'real' },
  };
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries({ ...MIGRATIONS, ...extra })) {
        out[name] = {
          up: (db) => mod.up(db, ctx),
          down: mod.down ? (db) => mod.down?.(db, ctx) ?? Promise.resolve() : undefined,
        };
      }
      return out;
    },
  };
}
