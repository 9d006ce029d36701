import type {
  LearnerModule,
  LearnerModuleSummary,
  LessonProgress,
  PlacementBody,
  PlacementCheckBody,
  PlacementCheckResult,
  PlacementResult,
  Today,
} from '../../shared/learning';
import { decayOfWeights } from '../../shared/learning';
import { lessonForPersona, lessonTimeSeconds } from '../../shared/modules';
import { pausedDue } from '../../shared/pauses';
import { calendarForUses } from '../calendar/service';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { NotFoundError, ValidationError } from '../lib/errors';
import { zonedToday } from '../lib/zoned-day';
import * as learningRepo from '../learning/repository';
import { moduleSnapshotSchema, type SnapshotLesson } from '../modules/snapshot';
import { toLearnerCard } from './cards';
import type { PauseService } from '../pauses/service';
import { answerIssues, isCorrect, solutionOf } from '../reviews/grading';
import type { ReviewService } from '../reviews/service';
import { gradeAnswers, placeLessons, placingAnswers } from './placement';
import * as repo from './repository';
import { dailyBudgetSeconds, fitBudget, meanRecall, orderRefreshers, upcomingUses } from './today';
import { whatsNew } from './whats-new';

export type LearnerService = ReturnType<typeof createLearnerService>;

/** An assigned, opened, published module as this learner sees it. */
interface OpenModule {
  moduleId: string;
  opensAt: Date;
  dueOn: string | null;
  assignedAt: Date;
  version: number;
  title: string;
  summary: string;
  toolId: string;
  critical: boolean;
  /** The lessons of the latest version meant for the learner's persona, blocks filtered. */
  lessons: SnapshotLesson[];
}

/** Critical modules first, then the earliest due date (none last), then the oldest assignment. */
function byPriority(x: OpenModule, y: OpenModule) {
  return (
    Number(y.critical) - Number(x.critical) ||
    (x.dueOn ?? '9999-12-31').localeCompare(y.dueOn ?? '9999-12-31') ||
    x.assignedAt.getTime() - y.assignedAt.getTime() ||
    x.moduleId.localeCompare(y.moduleId)
  );
}

const done = (p: repo.ProgressRow | undefined) => !!p && (!!p.completedAt || !!p.knownAt);

/** The module's cards as this learner sees them, by id. */
const cardsOf = (module: OpenModule) =>
  new Map(module.lessons.flatMap((l) => l.cards.map((c) => [c.id, c] as const)));

const unfit = 'This answer does not fit the card.';

/**
 * What a learner reads: their modules (assigned to them, published, opened; everything else is
 * 404, so drafts never show), a module's lessons for their persona with cards that carry no
 * answers, their progress, and today's lesson and refreshers.
 */
export function createLearnerService({
  db,
  clock,
  pauses,
  reviews,
}: {
  db: Database;
  clock: Clock;
  pauses: PauseService;
  /** Records the answers of the lessons a placement check places the learner out of. */
  reviews: ReviewService;
}) {
  async function learner(orgId: string, userId: string) {
    const row = await learningRepo.findLearner(db, orgId, userId);
    if (!row) throw new NotFoundError('Member');
    return row;
  }

  async function openModules(
    orgId: string,
    userId: string,
    personaId: string | null,
    filter: { moduleId?: string; lessonId?: string } = {},
  ): Promise<OpenModule[]> {
    const rows = await repo.listOpenAssignments(db, orgId, userId, clock.now(), filter);
    return rows
      .map(({ content, ...row }) => {
        const { module, lessons } = moduleSnapshotSchema.parse(content);
        return {
          ...row,
          title: module.title,
          summary: module.summary,
          toolId: module.toolId,
          critical: module.criticality === 'critical',
          lessons: lessons.flatMap((l) => lessonForPersona(l, personaId) ?? []),
        };
      })
      .sort(byPriority);
  }

  /** One of the learner's open modules; 404 unless it is theirs, published and opened. */
  async function openModule(orgId: string, userId: string, moduleId: string) {
    const { personaId } = await learner(orgId, userId);
    const [module] = await openModules(orgId, userId, personaId, { moduleId });
    if (!module) throw new NotFoundError('Module');
    return module;
  }

  async function progressOf(orgId: string, userId: string, modules: OpenModule[]) {
    const rows = await repo.listProgress(
      db,
      orgId,
      userId,
      modules.map((m) => m.moduleId),
    );
    return new Map(rows.map((r) => [r.lessonId, r]));
  }

  /**
   * The learner's memory of these modules' cards, due dates pushed back by their pauses, the
   * last day of the pause they are in now (null when none), and the next pause to come (null
   * when none).
   */
  async function memoryOf(orgId: string, userId: string, moduleIds: string[], timeZone: string) {
    const [rows, spans] = await Promise.all([
      repo.listMemory(db, orgId, userId, moduleIds),
      pauses.spans(orgId, userId, timeZone),
    ]);
    const now = clock.now();
    const current = spans.find((p) => p.start <= now && now < p.end);
    const next = spans
      .filter((p) => p.start > now)
      .sort((a, b) => a.start.getTime() - b.start.getTime())[0];
    const memory = spans.length
      ? rows.map((r) => ({ ...r, due: pausedDue(r.due, r.lastReview, spans) }))
      : rows;
    return {
      memory,
      pausedUntil: current?.endsOn ?? null,
      nextPause: next ? { startsOn: next.startsOn, endsOn: next.endsOn } : null,
    };
  }

  async function list(orgId: string, userId: string): Promise<LearnerModuleSummary[]> {
    const { personaId, timeZone, weights } = await learner(orgId, userId);
    const decay = decayOfWeights(weights);
    const modules = await openModules(orgId, userId, personaId);
    const ids = modules.map((m) => m.moduleId);
    const [progress, { memory }, tools] = await Promise.all([
      progressOf(orgId, userId, modules),
      memoryOf(orgId, userId, ids, timeZone),
      repo.toolNames(db, orgId, [...new Set(modules.map((m) => m.toolId))]),
    ]);
    const now = clock.now();
    return modules.map((m) => {
      const cards = memory.filter((c) => c.moduleId === m.moduleId);
      const upcoming = cards.map((c) => c.due.getTime());
      return {
        moduleId: m.moduleId,
        title: m.title,
        summary: m.summary,
        toolName: tools.get(m.toolId) ?? '',
        criticality: m.critical ? 'critical' : 'normal',
        lessonCount: m.lessons.length,
        lessonsDone: m.lessons.filter((l) => done(progress.get(l.id))).length,
        opensAt: m.opensAt,
        dueOn: m.dueOn,
        recall: meanRecall(cards, now, decay),
        nextDueAt: upcoming.length ? new Date(Math.min(...upcoming)) : null,
      };
    });
  }

  async function get(orgId: string, userId: string, moduleId: string): Promise<LearnerModule> {
    const module = await openModule(orgId, userId, moduleId);
    const progress = await progressOf(orgId, userId, [module]);
    return {
      moduleId: module.moduleId,
      title: module.title,
      summary: module.summary,
      version: module.version,
      lessons: module.lessons.map((lesson) => {
        const p = progress.get(lesson.id);
        return {
          id: lesson.id,
          title: lesson.title,
          blocks: lesson.blocks,
          cards: lesson.cards.map((card) =>
            toLearnerCard(
              card,
              { id: card.id, lessonId: lesson.id, moduleId },
              card.effectiveExpectedSeconds,
            ),
          ),
          position: p?.position ?? 0,
          completedAt: p?.completedAt ?? null,
          knownAt: p?.knownAt ?? null,
        };
      }),
    };
  }

  /** Saves where the learner is in a lesson they can see; `completed` is recorded once. */
  async function saveProgress(
    orgId: string,
    userId: string,
    lessonId: string,
    body: { position: number; completed: boolean },
  ): Promise<LessonProgress> {
    const { personaId } = await learner(orgId, userId);
    const modules = await openModules(orgId, userId, personaId, { lessonId });
    const module = modules.find((m) => m.lessons.some((l) => l.id === lessonId));
    if (!module) throw new NotFoundError('Lesson');
    // Keyed by the lesson's stable id: a lesson the working copy has dropped since this
    // version was published still records progress.
    return repo.saveProgress(db, {
      orgId,
      userId,
      moduleId: module.moduleId,
      lessonId,
      ...body,
      now: clock.now(),
    });
  }

  /**
   * Grades one answer of a placement check and records nothing: the card enters memory only if
   * its lesson is placed out of. 404 unless the card is in the module as this learner sees it
   * (their module, published and opened); 400 for an answer that does not fit the card.
   */
  async function checkPlacement(
    orgId: string,
    userId: string,
    moduleId: string,
    { cardId, answer }: PlacementCheckBody,
  ): Promise<PlacementCheckResult> {
    const card = cardsOf(await openModule(orgId, userId, moduleId)).get(cardId);
    if (!card) throw new NotFoundError('Card');
    const issues = answerIssues(card, answer);
    if (issues.length) throw new ValidationError(unfit, issues);
    return {
      cardId,
      correct: isCorrect(card, answer),
      solution: solutionOf(card),
      explanationHtml: card.explanationHtml,
    };
  }

  /**
   * The placement check's outcome: the module's lessons this learner has not completed, split
   * into known and to study by the answers, graded here again. The answers that placed the
   * newly known lessons are recorded as reviews, so their cards enter memory, and those lessons
   * are marked known, so they count as done, in one transaction: all of it or nothing, and the
   * same placement sent twice (from two tabs, with answer ids of their own) is applied once,
   * the second finding the lessons known. Answers to the other cards are recorded nowhere.
   * 404 unless the module is the learner's, published and opened; 400 when an answer does not
   * fit its card.
   */
  async function place(
    orgId: string,
    userId: string,
    moduleId: string,
    body: PlacementBody,
  ): Promise<PlacementResult> {
    const module = await openModule(orgId, userId, moduleId);
    const { graded, issues } = gradeAnswers(cardsOf(module), body.answers);
    if (issues.length) throw new ValidationError(unfit, issues);
    const key = { orgId, userId, moduleId };
    const { known, toStudy } = await reviews.answerTogether(orgId, userId, async (tx) => {
      const done = await repo.lockDoneLessons(tx, key);
      const lessons = module.lessons
        .filter((l) => !done.get(l.id)?.completed)
        .map((l) => ({
          id: l.id,
          title: l.title,
          cardIds: l.cards.map((c) => c.id),
          known: !!done.get(l.id)?.known,
        }));
      const placed = placeLessons(lessons, graded);
      // Into memory "as if learnt", rated and scheduled like any first answer (a card already
      // in memory, from a lesson check left half done, takes it as its next review).
      const lessonIds = placed.newlyKnown.map((l) => l.id);
      return {
        answers: placingAnswers(placed.newlyKnown, graded),
        last: repo.markKnown({ ...key, lessonIds, now: clock.now() }),
        value: placed,
      };
    });
    const out = (l: { id: string; title: string }) => ({ id: l.id, title: l.title });
    return { known: known.map(out), toStudy: toStudy.map(out) };
  }

  /**
   * Every lesson the learner may open, done or not: their open modules in priority order, each
   * lesson as their persona sees it, with whether it is done. What they look up again (lookup).
   */
  async function shelf(orgId: string, userId: string) {
    const { personaId } = await learner(orgId, userId);
    const modules = await openModules(orgId, userId, personaId);
    const progress = await progressOf(orgId, userId, modules);
    const lessons = (m: OpenModule) =>
      m.lessons.map((lesson) => ({ ...lesson, done: done(progress.get(lesson.id)) }));
    return { personaId, modules: modules.map((m) => ({ ...m, lessons: lessons(m) })) };
  }

  return { list, get, saveProgress, checkPlacement, place, today, shelf };

  /**
   * The home page: today's date in the organisation's zone, the next lesson to do, the new
   * cards of lessons already finished (`whatsNew`), and the refreshers due before today ends
   * there, in order, within the daily budget.
   */
  async function today(orgId: string, userId: string): Promise<Today> {
    const me = await learner(orgId, userId);
    const now = clock.now();
    const { date, end } = zonedToday(now, me.timeZone);
    const modules = await openModules(orgId, userId, me.personaId);
    const ids = modules.map((m) => m.moduleId);
    const [progress, { memory, pausedUntil, nextPause }] = await Promise.all([
      progressOf(orgId, userId, modules),
      memoryOf(orgId, userId, ids, me.timeZone),
    ]);
    const critical = new Set(modules.filter((m) => m.critical).map((m) => m.moduleId));
    const inMemory = memory.map((c) => ({ ...c, critical: critical.has(c.moduleId) }));
    // On holiday, nothing is due: what was already overdue waits for the return.
    const due = pausedUntil ? [] : inMemory.filter((c) => c.due < end);
    const budgetSeconds = dailyBudgetSeconds(me.dailyBudgetMinutes, me.personaMinutesPerDay);
    const chosen = fitBudget(orderRefreshers(due, now), budgetSeconds);
    const later = inMemory.filter((c) => c.due >= end).map((c) => c.due.getTime());
    return {
      date,
      nextLesson: nextLesson(modules, progress),
      whatsNew: whatsNew(
        modules,
        (lessonId) => done(progress.get(lessonId)),
        new Set(memory.map((c) => c.cardId)),
      ),
      ...(await refreshersWithUses(orgId, chosen, date)),
      dueCount: due.length,
      budgetSeconds,
      nextDueAt: later.length ? new Date(Math.min(...later)) : null,
      pausedUntil,
      nextPause,
      summary: {
        modulesAssigned: modules.length,
        modulesCompleted: modules.filter(
          (m) => m.lessons.length > 0 && m.lessons.every((l) => done(progress.get(l.id))),
        ).length,
        cardsInMemory: inMemory.filter((c) => c.lastReview !== null).length,
        meanRecall: meanRecall(inMemory, now, decayOfWeights(me.weights)),
      },
    };
  }

  /**
   * The chosen refreshers as learners see them, and the processes used soon they prepare for
   * (`upcomingUses`): one more query, and the calendar only for a process with a rule.
   */
  async function refreshersWithUses(
    orgId: string,
    chosen: { cardId: string; moduleId: string }[],
    today: string,
  ) {
    const moduleIds = [...new Set(chosen.map((c) => c.moduleId))];
    const [refreshers, processes] = await Promise.all([
      refresherCards(orgId, chosen),
      repo.moduleProcesses(db, orgId, moduleIds),
    ]);
    const calendar = await calendarForUses(
      db,
      orgId,
      processes.map((p) => p.nextUse),
    );
    return { refreshers, uses: upcomingUses(refreshers, processes, calendar, today) };
  }

  /** The chosen refreshers as learners see them, in the chosen order. */
  async function refresherCards(orgId: string, chosen: { cardId: string }[]) {
    const rows = await repo.listPublishedCards(
      db,
      orgId,
      chosen.map((c) => c.cardId),
    );
    const byId = new Map(rows.map((r) => [r.cardId, r]));
    return chosen.flatMap(({ cardId }) => {
      const row = byId.get(cardId);
      if (!row) return [];
      const where = { id: cardId, lessonId: row.lessonId, moduleId: row.moduleId };
      return [toLearnerCard(row.content, where, row.effectiveExpectedSeconds)];
    });
  }
}

/** The first lesson not done of the modules in priority order, with where to resume it. */
function nextLesson(modules: OpenModule[], progress: Map<string, repo.ProgressRow>) {
  for (const module of modules) {
    const index = module.lessons.findIndex((l) => !done(progress.get(l.id)));
    if (index === -1) continue;
    const lesson = module.lessons[index]!;
    return {
      moduleId: module.moduleId,
      moduleTitle: module.title,
      lessonId: lesson.id,
      lessonTitle: lesson.title,
      lessonIndex: index,
      lessonCount: module.lessons.length,
      estimatedSeconds: lessonTimeSeconds(lesson),
      resumePosition: progress.get(lesson.id)?.position ?? 0,
    };
  }
  return null;
}
