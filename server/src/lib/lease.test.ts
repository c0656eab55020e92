import { afterEach, describe, expect, it } from 'vitest';
import { type Db, migrate, openDatabase } from '../db/database';
import { Lease } from './lease';
import { createLogger } from './logger';

let db: Db;
const log = createLogger('silent');
let now = 1_000_000;
const clock = { now: () => now };

afterEach(async () => db?.close());

function lease(holder: string) {
  return new Lease(db.db, clock, log, { name: 'scheduler', holder, ttlMs: 15_000, renewMs: 5_000 });
}

describe('Lease', () => {
  it('is held by one instance at a time and passes on when the holder stops renewing', async () => {
    db = openDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrate(db);
    const a = lease('a');
    const b = lease('b');
    expect(await a.attempt()).toBe(true);
    expect(await b.attempt()).toBe(false);
    expect(a.held()).toBe(true);
    expect(b.held()).toBe(false);
    now += 5_000;
    expect(await a.attempt()).toBe(true); // renewal
    now += 11_000; // a is dead: no renewals; its lease runs out at +15 s
    expect(a.held()).toBe(false); // a itself stops acting a renewal period early
    expect(await b.attempt()).toBe(false);
    now += 5_000;
    expect(await b.attempt()).toBe(true);
    expect(await a.attempt()).toBe(false);
  });

  it('hands the lease over at once on a clean stop', async () => {
    db = openDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrate(db);
    const a = lease('a');
    const b = lease('b');
    await a.attempt();
    await a.stop();
    expect(await b.attempt()).toBe(true);
  });
});
