// A clock tests can move.
import type { Clock } from '../../server/src/lib/clock';

export class FakeClock implements Clock {
  constructor(private t = Date.now()) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}
