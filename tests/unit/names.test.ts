import { describe, expect, it } from 'vitest';
import { byName, compareNames } from '../../shared/names';

const sorted = (names: string[], locale?: string) =>
  [...names].sort((a, b) => compareNames(a, b, locale));

describe('compareNames', () => {
  it('compares the numbers inside names by value', () => {
    expect(sorted(['Team 10', 'Team 2', 'Team 1'])).toEqual(['Team 1', 'Team 2', 'Team 10']);
    expect(sorted(['Module 10 – Clôture', 'Module 9 – Stock'])).toEqual([
      'Module 9 – Stock',
      'Module 10 – Clôture',
    ]);
  });

  it('lists accented and capital letters with their base letter, in French and English', () => {
    for (const locale of ['fr', 'en']) {
      expect(sorted(['Zoé', 'Émilie', 'eric', 'Eve', 'Ange'], locale)).toEqual([
        'Ange',
        'Émilie',
        'eric',
        'Eve',
        'Zoé',
      ]);
    }
    // Code points would put every capital before any lower case letter, and É after z.
    expect(['Émilie', 'zoé', 'Ange'].sort()).toEqual(['Ange', 'zoé', 'Émilie']);
  });

  it('tells apart names that differ only by an accent or case, without putting them apart', () => {
    expect(sorted(['Emilie', 'Émile', 'Emile'])).toEqual(['Emile', 'Émile', 'Emilie']);
    expect(compareNames('Emile', 'Émile')).not.toBe(0);
    expect(compareNames('zoe', 'Zoe')).not.toBe(0);
    expect(compareNames('Zoe', 'Zoe')).toBe(0);
  });
});

describe('byName', () => {
  type Item = { id: string; name: string | null };
  const order = byName<Item>(
    (x) => x.name,
    (x) => x.id,
  );

  it('orders by name, no name last, then equal names by id', () => {
    const items: Item[] = [
      { id: 'c', name: null },
      { id: 'b', name: 'Team 2' },
      { id: 'd', name: 'Team 10' },
      { id: 'a', name: 'Team 2' },
      { id: 'e', name: 'équipe' },
    ];
    expect(items.sort(order).map((x) => x.id)).toEqual(['e', 'a', 'b', 'd', 'c']);
  });

  it('gives the same order whatever order the items come in', () => {
    const items: Item[] = [
      { id: '2', name: 'Ventes' },
      { id: '1', name: 'Ventes' },
      { id: '3', name: null },
      { id: '4', name: null },
    ];
    const one = [...items].sort(order).map((x) => x.id);
    expect(
      [...items]
        .reverse()
        .sort(order)
        .map((x) => x.id),
    ).toEqual(one);
    expect(one).toEqual(['1', '2', '3', '4']);
  });
});
