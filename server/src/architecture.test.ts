// The layout's rules, checked on every run (issue 15): a module reaches another module through its
// service or a small read port, never through its repository; SQL is written only in `*.repo.ts`
// (and the database's own folder: connection, migrations, transactions); no product file grows
// past ~500 lines except the relay and the RFB parser, each of which does one job; the annotated
// tree in docs/ARCHITECTURE.md names every product folder.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const files = execFileSync('git', ['ls-files', 'common', 'server/src', 'web/src'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
const read = (f: string) => readFileSync(`${root}/${f}`, 'utf8');

describe('architecture', () => {
  it('no module imports another module’s repository', () => {
    const offenders: string[] = [];
    for (const f of files.filter((f) => f.startsWith('server/src/modules/'))) {
      const own = f.split('/')[3];
      for (const m of read(f).matchAll(/from '\.\.\/([a-z-]+)\/[a-z-]+\.repo'/g)) {
        if (m[1] !== own) offenders.push(`${f} → ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('SQL only in *.repo.ts and the database folder', () => {
    const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`|\bsql<[^>]*>`/;
    const offenders = files.filter(
      (f) =>
        f.startsWith('server/src/') &&
        !f.endsWith('.repo.ts') &&
        !f.startsWith('server/src/db/') &&
        QUERY.test(read(f)),
    );
    expect(offenders).toEqual([]);
  });

  it('no product file over ~500 lines except the relay and the RFB parser', () => {
    const EXEMPT = new Set(['server/src/modules/consoles/console-relay.ts', 'common/rfb/rfb-messages.ts']);
    const long = files.filter((f) => !EXEMPT.has(f) && read(f).split('\n').length > 505);
    expect(long).toEqual([]);
  });

  it('docs/ARCHITECTURE.md’s tree names every product folder', () => {
    const tree = read('docs/ARCHITECTURE.md');
    const folders = [...new Set(files.map((f) => f.slice(0, f.lastIndexOf('/'))))];
    const unnamed = folders.filter((folder) => {
      const name = folder.slice(folder.lastIndexOf('/') + 1);
      return !new RegExp(`(^|[\\s/(])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`, 'm').test(tree);
    });
    expect(unnamed).toEqual([]);
  });
});

describe('audit actions', () => {
  it('every action the server writes is in the catalogue the SPA names and filters by', async () => {
    const { AUDIT_ACTIONS } = await import('@common/schemas/audit');
    const known = new Set<string>(Object.values(AUDIT_ACTIONS).flat());
    const written = new Set<string>();
    for (const f of files.filter((f) => f.startsWith('server/src/'))) {
      const text = read(f);
      for (const m of text.matchAll(/\baction: '([a-z_]+\.[a-z_.]+)'/g)) written.add(m[1] ?? '');
      // createUser(…, 'user.bootstrap') and the users service's computed action names.
      for (const m of text.matchAll(
        /'((?:user|auth)\.(?:bootstrap|signup|invitation_accepted|created|updated|role_changed|disabled|enabled|password_changed|profile_updated|deleted))'/g,
      )) {
        written.add(m[1] ?? '');
      }
    }
    expect([...written].filter((a) => !known.has(a))).toEqual([]);
    expect(written.size).toBeGreaterThan(30);
  });
});
