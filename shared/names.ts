/**
 * The order names are listed in for people (teams, modules, tools, processes, learners): as a
 * reader expects, not by code points. Numbers inside a name compare by value ("Team 2" before
 * "Team 10"), accents and case only break ties between names that are otherwise the same
 * ("Emile", "Émile", "Emilie"; "zoe" then "Zoe"), so that no two different names are equal.
 *
 * The locale: the web sorts in the reader's language (it knows it); the server answers lists
 * before the reader's language matters, in `SERVER_NAME_LOCALE`. French and English share the
 * CLDR root collation for Latin letters, so the two orders are the same for their names.
 */

/** The locale the server sorts names in (see the file's comment). */
export const SERVER_NAME_LOCALE = 'en';

const collators = new Map<string, Intl.Collator>();

function collator(locale: string): Intl.Collator {
  let found = collators.get(locale);
  if (!found) {
    found = new Intl.Collator(locale, { numeric: true, sensitivity: 'variant', usage: 'sort' });
    collators.set(locale, found);
  }
  return found;
}

/** Compares two names as a reader of `locale` expects them listed (see the file's comment). */
export function compareNames(a: string, b: string, locale: string = SERVER_NAME_LOCALE): number {
  return collator(locale).compare(a, b);
}

/**
 * A comparator of items by name (`compareNames`), no name last, then by id, so that equal names
 * still come in one order every time.
 */
export function byName<T>(
  name: (x: T) => string | null,
  id: (x: T) => string | null,
  locale: string = SERVER_NAME_LOCALE,
) {
  return (x: T, y: T): number => {
    const [a, b] = [name(x), name(y)];
    if (a !== b) {
      if (a === null) return 1;
      if (b === null) return -1;
      const order = compareNames(a, b, locale);
      if (order !== 0) return order;
    }
    const [i, j] = [id(x) ?? '', id(y) ?? ''];
    return i < j ? -1 : i > j ? 1 : 0;
  };
}
