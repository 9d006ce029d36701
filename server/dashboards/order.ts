/**
 * A comparator by name, none last, then by id, so that equal names still come in one order:
 * every list the dashboards answer is ordered this way.
 */
export function byName<T>(name: (x: T) => string | null, id: (x: T) => string | null) {
  return (x: T, y: T) => {
    const [a, b] = [name(x), name(y)];
    if (a !== b) return a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'en');
    return (id(x) ?? '').localeCompare(id(y) ?? '');
  };
}
