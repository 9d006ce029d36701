/** Time as a dependency, so rules that depend on it are tested with fixed dates. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
