/**
 * One run: every learner of a memory model, day by day, with one scheduler. A learner present
 * on a working day opens Today at some hour between 9:00 and 17:00, does the refreshers that
 * fit the daily budget in the scheduler's order (Today's own `fitBudget`), then the next lesson
 * if one is open. Recall is read from the learner's true memory, never from the scheduler's.
 */
import { addToBins, type CalibrationBin, emptyBins } from '../../shared/calibration';
import { pausedDue, type PauseSpan } from '../../shared/pauses';
import { DEFAULT_DAILY_BUDGET_MINUTES } from '../../shared/learning';
import { dailyBudgetSeconds, fitBudget } from '../../server/learner/today';
import { type Learner, makeLearner, type MemoryModel } from './learners';
import { streams, normal, uniform } from './random';
import type { CardSchedule, DueCard, Scheduling, SimCard } from './schedulers';
import { type Day, DAY_MS, HOUR_MS } from './world';

export interface Population {
  model: MemoryModel;
  seed: number;
  learners: number;
  cards: number;
  days: Day[];
}

export type Absence = 'none' | 'undeclared' | 'paused';

export interface Scenario {
  budgetMinutes: number;
  /** Everyone away two weeks from `absenceStart` (a day index), declared as a pause or not. */
  absence: Absence;
  absenceStart: number;
  /** Share of working days a learner is off sick (no declared pause). */
  sickDays: number;
}

/**
 * Everyday work: the default daily budget, no absence (`absenceStart` only places the window
 * the absence figures would read), 3% of working days off sick.
 */
export function everydayScenario(absenceStart = 0): Scenario {
  return {
    budgetMinutes: DEFAULT_DAILY_BUDGET_MINUTES,
    absence: 'none',
    absenceStart,
    sickDays: 0.03,
  };
}

export const CARDS_PER_LESSON = 4;
/** A lesson opens every third working day, from the first. */
export const LESSON_EVERY = 3;
/** Every fifth lesson (the third, eighth…) teaches the month-end close. */
const isProcessLesson = (lesson: number) => lesson % 5 === 2;
const ABSENCE_DAYS = 14;
/** How long after a two-week absence recall is followed, and the backlog given to clear. */
export const AFTER_ABSENCE_DAYS = 56;
export const CLEAR_WITHIN_WORKING_DAYS = 10;

/** Totals over one run; the report turns them into means. */
export interface RunTotals {
  learners: number;
  everydayReviews: number;
  processReviews: number;
  everydayRecall: { sum: number; n: number };
  useDayRecall: { sum: number; n: number };
  afterAbsenceRecall: { sum: number; n: number };
  /** Learners with no due refresher left after a session within 10 working days of return. */
  clearedBacklog: number;
  /** Per tenth of predicted recall: answers, predicted sum, right answers. */
  calibration: CalibrationBin[];
}

export function cardsOf(count: number, seed: number): SimCard[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    expectedSeconds: 15 + Math.floor(16 * uniform(seed, streams.card, -1, index)),
    process: isProcessLesson(Math.floor(index / CARDS_PER_LESSON)),
  }));
}

/** The day a two-week absence ends: the first working day after it. */
export function returnDay(days: Day[], scenario: Scenario): number {
  let d = scenario.absenceStart + ABSENCE_DAYS;
  while (d < days.length && !days[d]!.working) d++;
  return d;
}

function emptyTotals(learners: number): RunTotals {
  return {
    learners,
    everydayReviews: 0,
    processReviews: 0,
    everydayRecall: { sum: 0, n: 0 },
    useDayRecall: { sum: 0, n: 0 },
    afterAbsenceRecall: { sum: 0, n: 0 },
    clearedBacklog: 0,
    calibration: emptyBins(),
  };
}

export function simulate<S extends CardSchedule>(
  population: Population,
  scenario: Scenario,
  makeScheduling: () => Scheduling<S>,
): RunTotals {
  const totals = emptyTotals(population.learners);
  const cards = cardsOf(population.cards, population.seed);
  for (let l = 0; l < population.learners; l++) {
    const learner = makeLearner(population.model, population.seed, l, population.cards);
    const run = new LearnerRun(population, scenario, cards, l, learner, makeScheduling(), totals);
    run.run();
    if (run.cleared) totals.clearedBacklog++;
  }
  return totals;
}

/** One learner's run with one scheduler, adding to `totals`. */
class LearnerRun<S extends CardSchedule> {
  private readonly states: (S | undefined)[];
  private readonly lastStudy: Float64Array;
  private readonly answers: Int32Array;
  private readonly back: number;
  private readonly pauses: PauseSpan[];
  private readonly budget: number;
  private nextLesson = 0;
  cleared = false;

  constructor(
    private readonly population: Population,
    private readonly scenario: Scenario,
    private readonly cards: SimCard[],
    private readonly l: number,
    private readonly learner: Learner,
    private readonly scheduling: Scheduling<S>,
    private readonly totals: RunTotals,
  ) {
    const { days } = population;
    this.states = new Array(cards.length);
    this.lastStudy = new Float64Array(cards.length);
    this.answers = new Int32Array(cards.length);
    this.back = returnDay(days, scenario);
    this.pauses =
      scenario.absence === 'paused'
        ? [
            {
              start: new Date(days[scenario.absenceStart]!.start),
              end: new Date(days[this.back]!.start),
            },
          ]
        : [];
    this.budget = dailyBudgetSeconds(scenario.budgetMinutes, null);
  }

  run() {
    const { seed, days } = this.population;
    const { scenario, l } = this;
    for (const day of days) {
      const away =
        scenario.absence !== 'none' && day.index >= scenario.absenceStart && day.index < this.back;
      const sick = uniform(seed, streams.sickDay, l, day.index) < scenario.sickDays;
      if (day.working && !away && !sick) {
        let at = day.start + (9 + 8 * uniform(seed, streams.session, l, day.index)) * HOUR_MS;
        const done = this.refreshers(day, at);
        const sinceReturn = day.workingIndex - (days[this.back]?.workingIndex ?? Infinity);
        if (done.left === 0 && sinceReturn >= 0 && sinceReturn < CLEAR_WITHIN_WORKING_DAYS) {
          this.cleared = true;
        }
        at = done.at;
        if (this.nextLesson * LESSON_EVERY <= day.workingIndex) this.lesson(at);
      }
      this.observe(day);
    }
  }

  /** Today's refreshers that fit the budget, in the scheduler's order, from `at`. */
  private refreshers(day: Day, at: number) {
    const due: DueCard[] = [];
    for (const card of this.cards) {
      const s = this.states[card.index];
      if (!s || s.retired) continue;
      const when = this.pauses.length ? pausedDue(s.due, s.lastReview, this.pauses) : s.due;
      if (when.getTime() >= day.end) continue;
      due.push({
        cardId: String(card.index).padStart(4, '0'),
        index: card.index,
        due: when,
        stability: s.stability,
        lastReview: s.lastReview,
        expectedSeconds: card.expectedSeconds,
        critical: false,
      });
    }
    const chosen = fitBudget(this.scheduling.order(due, new Date(at)), this.budget);
    for (const c of chosen) at += this.answer(this.cards[c.index]!, at);
    return { at, left: due.length - chosen.length };
  }

  /** One refresher answered at `at`; how long it took. */
  private answer(card: SimCard, at: number): number {
    const { seed } = this.population;
    const { l, learner, totals } = this;
    const c = card.index;
    const elapsed = (at - this.lastStudy[c]!) / DAY_MS;
    const p = learner.memory.recall(c, elapsed);
    const k = ++this.answers[c]!;
    const correct = uniform(seed, streams.recall, l, c, k) < p;
    const draw = normal(seed, streams.answerTime, l, c, k);
    const ms = learner.answerMs(card.expectedSeconds, p, correct, draw);
    const now = new Date(at);
    const state = this.states[c]!;
    const predicted = this.scheduling.predicted(state, now);
    if (predicted !== null) {
      addToBins(totals.calibration, predicted, correct);
    }
    this.states[c] = this.scheduling.answer(card, state, correct, ms, now);
    learner.memory.review(c, elapsed, correct);
    this.lastStudy[c] = at;
    if (card.process) totals.processReviews++;
    else totals.everydayReviews++;
    return ms;
  }

  /** The next lesson, if any: three minutes of reading, then each card answered once. */
  private lesson(at: number) {
    const { seed } = this.population;
    const { l, learner } = this;
    const cards = this.cards.slice(
      this.nextLesson * CARDS_PER_LESSON,
      (this.nextLesson + 1) * CARDS_PER_LESSON,
    );
    if (cards.length === 0) return;
    at += 3 * 60_000;
    for (const card of cards) {
      const c = card.index;
      const correct = uniform(seed, streams.recall, l, c, 0) < learner.lessonRecall;
      const draw = normal(seed, streams.answerTime, l, c, 0);
      const ms = learner.answerMs(card.expectedSeconds, learner.lessonRecall, correct, draw);
      this.states[c] = this.scheduling.learn(card, correct, ms, new Date(at));
      learner.memory.learn(c, correct);
      this.lastStudy[c] = at;
      at += ms;
    }
    this.nextLesson++;
  }

  /** True recall at 18:00 every day, and at 9:00 on the morning of each month-end close. */
  private observe(day: Day) {
    const { totals, learner, lastStudy } = this;
    const evening = day.start + 18 * HOUR_MS;
    const morning = day.start + 9 * HOUR_MS;
    const afterAbsence =
      this.scenario.absence !== 'none' &&
      day.index >= this.back &&
      day.index < this.back + AFTER_ABSENCE_DAYS;
    for (const card of this.cards) {
      const c = card.index;
      if (!this.states[c] || lastStudy[c]! > evening) continue;
      const p = learner.memory.recall(c, (evening - lastStudy[c]!) / DAY_MS);
      if (!card.process) add(totals.everydayRecall, p);
      if (afterAbsence) add(totals.afterAbsenceRecall, p);
      if (card.process && day.useDay && lastStudy[c]! <= morning) {
        add(totals.useDayRecall, learner.memory.recall(c, (morning - lastStudy[c]!) / DAY_MS));
      }
    }
  }
}

function add(acc: { sum: number; n: number }, p: number) {
  acc.sum += p;
  acc.n++;
}
