/**
 * Answer logs of learners whose memory is not FSRS's default: scheduled by Rappel's scheduler
 * (default weights, as an organisation starts), answered right with the probability of recall
 * of a memory that follows other weights. For tests of fitting weights to an organisation.
 */
import { FSRSBinding, type BindingMemoryState } from '@open-spaced-repetition/binding';
import { default_w } from 'ts-fsrs';
import { retrievability } from '../../shared/learning';
import type { Answer } from '../../server/srs/fit-weights';
import { createScheduler } from '../../server/srs/fsrs';

const DAY = 86_400_000;
export const START = new Date('2026-01-05T09:00:00Z');

/** A seeded generator (mulberry32), so that the generated log is the same on every run. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Learners who forget faster than FSRS's defaults say: lower first stabilities, slower growth. */
export const TRUE_WEIGHTS = default_w.map((w, i) =>
  i <= 3 ? w * 0.5 : i === 8 ? w * 0.8 : i === 20 ? 0.25 : w,
);

export const stabilityAfter = (w: readonly number[], ratings: number[], gaps: number[]) => {
  const f = new FSRSBinding([...w]);
  let memory: BindingMemoryState | null = null;
  ratings.forEach((rating, i) => {
    const next = f.nextStates(memory, 0.9, gaps[i]!);
    memory = [next.again, next.hard, next.good, next.easy][rating - 1]!.memory;
  });
  return (memory as unknown as BindingMemoryState).stability;
};

/**
 * One card's answers over 180 days: scheduled by Rappel's scheduler (default weights, as
 * today), answered right with the probability of recall of a memory that follows `TRUE_WEIGHTS`,
 * a few days late now and then, as people are.
 */
export function history(next: () => number, start = START): Answer[] {
  const scheduler = createScheduler({ fuzz: false });
  const truth = new FSRSBinding([...TRUE_WEIGHTS]);
  let memory = scheduler.newMemory(start);
  let truthMemory: BindingMemoryState | null = null;
  let at = new Date(start.getTime() + Math.floor(next() * 30) * DAY);
  let previous: Date | null = null;
  const answers: Answer[] = [];
  while (at.getTime() < start.getTime() + 180 * DAY) {
    const days = previous ? Math.round((at.getTime() - previous.getTime()) / DAY) : 0;
    const recall: number = truthMemory
      ? retrievability(days, (truthMemory as BindingMemoryState).stability, TRUE_WEIGHTS[20])
      : 0.7;
    const rating: number = next() < recall ? 3 : 1;
    const states = truth.nextStates(truthMemory, 0.9, days);
    truthMemory = (rating === 3 ? states.good : states.again).memory;
    answers.push({ rating, at });
    memory = scheduler.review(memory, rating, at, 0.9).memory;
    previous = at;
    const late = next() < 0.3 ? Math.floor(next() * 4) : 0;
    at = new Date(memory.due.getTime() + late * DAY);
  }
  return answers;
}
