import { computeDecayFactor, createEmptyCard, default_w, forgetting_curve, fsrs } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DECAY,
  FAST_RATIO,
  rateAnswer,
  ratings,
  retentionFactor,
  retrievability,
  SLOW_RATIO,
} from '../../shared/learning';

const ts = [0, 0.25, 0.5, 1, 2, 3, 7, 10, 30, 90, 180, 365, 1000, 3650];
const ss = [0.01, 0.212, 0.5, 1, 2.3065, 8.2956, 10, 30, 100, 365, 1000, 36500];

describe('retrievability R(t, S) in shared/', () => {
  it('uses FSRS-6 default decay and factor, as ts-fsrs does', () => {
    const { decay, factor } = computeDecayFactor(default_w);
    expect(DEFAULT_DECAY).toBe(default_w[20]);
    expect(-decay).toBeCloseTo(DEFAULT_DECAY, 15);
    // ts-fsrs keeps the factor to 8 decimals (roundTo(…, 8)); ours is exact.
    expect(Math.abs(retentionFactor() - factor)).toBeLessThanOrEqual(5e-9);
  });

  it("agrees with ts-fsrs' own curve to 1e-9 over a grid of t and S", () => {
    // ts-fsrs' forgetting_curve rounds its result to 8 decimals (up to 5e-9 off), so 1e-9 is
    // measured against its curve before that last rounding, with its own decay and (rounded)
    // factor; the public function is checked to its rounding plus that 1e-9.
    const { decay, factor } = computeDecayFactor(default_w);
    for (const t of ts) {
      for (const s of ss) {
        const ours = retrievability(t, s);
        expect(Math.abs(ours - Math.pow(1 + (factor * t) / s, decay))).toBeLessThan(1e-9);
        expect(Math.abs(ours - forgetting_curve(default_w, t, s))).toBeLessThanOrEqual(5e-9 + 1e-9);
      }
    }
  });

  it("agrees with ts-fsrs' get_retrievability on reviewed cards (whole days)", () => {
    const f = fsrs({ enable_fuzz: false, enable_short_term: false });
    const reviewed = new Date('2026-03-02T09:00:00Z');
    for (const s of ss) {
      const card = { ...createEmptyCard(reviewed), state: 2, stability: s, last_review: reviewed };
      for (const days of [1, 3, 10, 100]) {
        const at = new Date(reviewed.getTime() + days * 86_400_000);
        const theirs = f.get_retrievability(card, at, false);
        expect(Math.abs(retrievability(days, s) - theirs)).toBeLessThanOrEqual(5e-9 + 1e-9);
      }
    }
  });

  it('is 0.9 at t = S, 1 at t = 0, and falls with t', () => {
    for (const s of ss) {
      expect(retrievability(s, s)).toBeCloseTo(0.9, 12);
      expect(retrievability(0, s)).toBe(1);
      expect(retrievability(2 * s, s)).toBeLessThan(retrievability(s, s));
    }
    expect(retrievability(1, 0)).toBe(0);
  });
});

describe('rateAnswer', () => {
  const expected = 10; // seconds
  it('wrong is Again, whatever the time', () => {
    expect(rateAnswer(false, 1_000, expected)).toBe(ratings.again);
    expect(rateAnswer(false, 60_000, expected, true)).toBe(ratings.again);
  });

  it('right: Easy under 0.5×, Good from 0.5× to 1.5× inclusive, Hard above', () => {
    expect(FAST_RATIO).toBe(0.5);
    expect(SLOW_RATIO).toBe(1.5);
    expect(rateAnswer(true, 4_999, expected)).toBe(ratings.easy);
    expect(rateAnswer(true, 5_000, expected)).toBe(ratings.good);
    expect(rateAnswer(true, 10_000, expected)).toBe(ratings.good);
    expect(rateAnswer(true, 15_000, expected)).toBe(ratings.good);
    expect(rateAnswer(true, 15_001, expected)).toBe(ratings.hard);
  });

  it('self-checked short answers are never Easy', () => {
    expect(rateAnswer(true, 1_000, expected, true)).toBe(ratings.good);
    expect(rateAnswer(true, 20_000, expected, true)).toBe(ratings.hard);
  });
});
