import { describe, expect, it } from 'vitest';
import { pushText } from '../../server/push/messages';

const digest = { target: 0.9, recallNow: 0.82, atRiskCount: 3 };

describe('the words of a push', () => {
  it('says what waits, in the person’s language', () => {
    expect(pushText('reminder', { dueCount: 1, minutes: 2 }, 'fr')).toEqual({
      title: 'Vos rappels du jour',
      body: '1 rappel vous attend, environ 2 min.',
    });
    expect(pushText('reminder', { dueCount: 5, minutes: 0 }, 'en')).toEqual({
      title: 'Your refreshers for today',
      body: '5 refreshers are waiting.',
    });
    expect(
      pushText('manual-reminder', { senderName: 'Inès', dueCount: 2, minutes: 3 }, 'fr'),
    ).toEqual({ title: 'Inès vous fait signe', body: '2 rappels vous attendent, environ 3 min.' });
    expect(pushText('manual-reminder', { senderName: 'Inès', dueCount: 0 }, 'en')).toEqual({
      title: 'A nudge from Inès',
      body: 'Time for a quick visit to Rappel?',
    });
    const modules = [
      { moduleId: 'm1', title: 'Notes de frais' },
      { moduleId: 'm2', title: 'Congés' },
    ];
    expect(pushText('new-work', { modules }, 'fr').body).toBe('2 nouveaux modules vous attendent.');
    expect(pushText('new-work', { modules: modules.slice(0, 1) }, 'fr').body).toBe(
      '«\u00a0Notes de frais\u00a0» vous attend.',
    );
  });

  it('keeps a long title short', () => {
    const { body } = pushText(
      'new-work',
      { modules: [{ moduleId: 'm', title: 'x'.repeat(200) }] },
      'en',
    );
    expect(body.length).toBeLessThanOrEqual(90);
    expect(body.endsWith('…')).toBe(true);
  });

  it('gives the week’s figures to a manager', () => {
    const fr = pushText('digest', digest, 'fr');
    expect(fr.title).toBe('Le point de la semaine');
    expect(fr.body).toMatch(/^Mémorisation 82\s%\s\(objectif 90\s%\), 3 personnes à aider\.$/);
    expect(pushText('digest', { ...digest, atRiskCount: 1 }, 'en').body).toMatch(
      /^Recall 82% \(target 90%\), 1 person to help\.$/,
    );
  });

  it('still says something true when the params are not what it knows', () => {
    expect(pushText('reminder', {}, 'en')).toEqual({
      title: 'Your refreshers for today',
      body: 'Refreshers are waiting for you in Rappel.',
    });
    expect(pushText('digest', { recallNow: 'high' }, 'fr').title).toBe('Le point de la semaine');
  });
});
