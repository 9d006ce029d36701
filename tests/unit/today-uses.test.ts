import { describe, expect, it } from 'vitest';
import { makeCalendar, weekdaysOnlyCalendar } from '../../shared/calendar';
import { type ModuleProcess, upcomingUses, USE_NOTICE_DAYS } from '../../server/learner/today';

// Monday 7 December 2026.
const today = '2026-12-07';

const monthEnd = (moduleId: string, processId: string, processName: string): ModuleProcess => ({
  moduleId,
  processId,
  processName,
  nextUse: { kind: 'rule', rule: 'last-working-day-of-month' },
});
const on = (
  moduleId: string,
  processId: string,
  processName: string,
  dates: string[],
): ModuleProcess => ({ moduleId, processId, processName, nextUse: { kind: 'dates', dates } });

const card = (id: string, moduleId: string) => ({ id, moduleId });

describe('upcomingUses', () => {
  it('groups the refreshers by process used within a week, soonest first, in served order', () => {
    const processes = [
      on('m-stock', 'p-stock', 'Stock count', ['2026-12-10']),
      on('m-pay', 'p-pay', 'Payroll', ['2026-12-09']),
      // Two modules about the same process.
      on('m-stock-2', 'p-stock', 'Stock count', ['2026-12-10']),
    ];
    const refreshers = [
      card('c1', 'm-stock'),
      card('c2', 'm-other'),
      card('c3', 'm-pay'),
      card('c4', 'm-stock-2'),
      card('c5', 'm-stock'),
    ];
    expect(upcomingUses(refreshers, processes, weekdaysOnlyCalendar, today)).toEqual([
      { processId: 'p-pay', processName: 'Payroll', on: '2026-12-09', cardIds: ['c3'] },
      {
        processId: 'p-stock',
        processName: 'Stock count',
        on: '2026-12-10',
        cardIds: ['c1', 'c4', 'c5'],
      },
    ]);
  });

  it('counts a use today and one exactly a week ahead, not the day after', () => {
    expect(USE_NOTICE_DAYS).toBe(7);
    const processes = [
      on('m-a', 'p-a', 'Today', ['2026-12-01', today]),
      on('m-b', 'p-b', 'In a week', ['2026-12-14']),
      on('m-c', 'p-c', 'In eight days', ['2026-12-15']),
    ];
    const refreshers = [card('a', 'm-a'), card('b', 'm-b'), card('c', 'm-c')];
    expect(
      upcomingUses(refreshers, processes, weekdaysOnlyCalendar, today).map((u) => [
        u.processName,
        u.on,
      ]),
    ).toEqual([
      ['Today', today],
      ['In a week', '2026-12-14'],
    ]);
  });

  it('leaves out a process with no next use, one whose dates are past, and one in 20 days', () => {
    const processes: ModuleProcess[] = [
      { moduleId: 'm-a', processId: 'p-a', processName: 'Never said', nextUse: { kind: 'none' } },
      on('m-b', 'p-b', 'Past', ['2026-11-30']),
      on('m-c', 'p-c', 'Later', ['2026-12-27']),
    ];
    const refreshers = [card('a', 'm-a'), card('b', 'm-b'), card('c', 'm-c')];
    expect(upcomingUses(refreshers, processes, weekdaysOnlyCalendar, today)).toEqual([]);
  });

  it("reads a rule on the organisation's working days", () => {
    // From 24 December, the month-end close is Thursday 31 December; with 31 December closed
    // it moves back to Wednesday 30th.
    const processes = [monthEnd('m', 'p', 'Month-end close')];
    const refreshers = [card('c', 'm')];
    const closed = makeCalendar({
      closures: [{ startsOn: '2026-12-31', endsOn: '2026-12-31', label: 'Inventory' }],
    });
    expect(upcomingUses(refreshers, processes, weekdaysOnlyCalendar, '2026-12-24')[0]!.on).toBe(
      '2026-12-31',
    );
    expect(upcomingUses(refreshers, processes, closed, '2026-12-24')[0]!.on).toBe('2026-12-30');
    // A refresher of none of those modules: nothing to say.
    expect(upcomingUses([card('x', 'other')], processes, closed, '2026-12-24')).toEqual([]);
  });
});
