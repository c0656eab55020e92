// The list-body store keeps both bounds: slots and bytes, evicting the oldest first.
import { describe, expect, it } from 'vitest';
import { ListBodies } from './list-bodies';

const stored = (size: number, key = 'k') => ({ key, body: 'x'.repeat(size), builtAt: 0 });

describe('ListBodies', () => {
  it('evicts the oldest slots beyond the count', () => {
    const bodies = new ListBodies<string>(2, 1000, (b) => b.length);
    bodies.set('a', stored(1));
    bodies.set('b', stored(1));
    bodies.set('a', stored(2)); // re-set: now the newest
    bodies.set('c', stored(1));
    expect([bodies.get('a'), bodies.get('b'), bodies.get('c')].map((s) => s?.body.length)).toEqual([2, undefined, 1]);
    expect(bodies.totalBytes).toBe(3);
  });

  it('evicts the oldest beyond the byte budget, however few the slots', () => {
    const bodies = new ListBodies<string>(200, 100, (b) => b.length);
    for (let i = 0; i < 50; i++) bodies.set(`q${i}`, stored(30));
    expect(bodies.size).toBe(3);
    expect(bodies.totalBytes).toBe(90);
    expect(bodies.get('q49')).toBeDefined();
    expect(bodies.get('q46')).toBeUndefined();
  });

  it('does not keep a body over the budget on its own, nor an older one under its slot', () => {
    const bodies = new ListBodies<string>(200, 100, (b) => b.length);
    bodies.set('a', stored(10));
    bodies.set('b', stored(10));
    bodies.set('a', stored(101));
    expect(bodies.get('a')).toBeUndefined();
    expect(bodies.get('b')).toBeDefined();
    expect(bodies.totalBytes).toBe(10);
    bodies.clear();
    expect([bodies.size, bodies.totalBytes]).toEqual([0, 0]);
  });
});
