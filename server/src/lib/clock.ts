// Time is injectable so tests can move it; production uses the wall clock.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
