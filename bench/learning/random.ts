/**
 * Counter-based random draws: each draw is a hash of what it is for (learner, card, answer
 * number, stream), not the next value of one generator. So every scheduler meets the same
 * learners and, for the k-th answer to a card, the same coin: differences between schedulers
 * come from the schedules, not from luck (common random numbers).
 */

/** What a draw is for; a draw never shares its stream with another purpose. */
export const streams = {
  recall: 1,
  answerTime: 2,
  session: 3,
  sickDay: 4,
  learner: 5,
  card: 6,
  model: 7,
} as const;

function mix(h: number, x: number): number {
  h = Math.imul(h ^ (x | 0), 0x9e3779b1);
  return (h << 13) | (h >>> 19);
}

/** murmur3's finaliser: every input bit reaches every output bit. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform draw in [0, 1) for the key (seed, stream, a, b, c). */
export function uniform(seed: number, stream: number, a: number, b = 0, c = 0): number {
  let h = mix(0x1b873593 ^ seed, stream);
  h = mix(h, a);
  h = mix(h, b);
  h = mix(h, c);
  return finish(h) / 4294967296;
}

/** A standard normal draw for the key (Box–Muller over two keyed uniforms). */
export function normal(seed: number, stream: number, a: number, b = 0, c = 0): number {
  const u = uniform(seed, stream, a, b, 2 * c) || Number.MIN_VALUE;
  const v = uniform(seed, stream, a, b, 2 * c + 1);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
