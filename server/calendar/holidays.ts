/**
 * The one adapter around `date-holidays`: the rest of the code asks for a country's public
 * holidays by date and for the list of countries and regions, in our own words. Only type
 * 'public' counts as a day off (bank holidays, observances and school holidays do not).
 */
import Holidays from 'date-holidays';
import type { Locale } from '../../shared/common';
import { compareNames } from '../../shared/names';

/** A place whose public holidays apply: ISO 3166-1 country, optional ISO 3166-2 subdivision. */
export interface HolidayPlace {
  country: string;
  region?: string | null;
}

export interface CountryInfo {
  code: string;
  name: string;
  regions: { code: string; name: string }[];
}

const DAY_MS = 86_400_000;
/** Years computed per place: a handful of organisations × a few years each. */
const MAX_CACHED_YEARS = 2_000;

const yearCache = new Map<string, ReadonlyMap<string, string>>();
const countryCache = new Map<string, CountryInfo[]>();
/** One instance reads the country list; per-place instances are made when a year is missing. */
const catalogue = new Holidays();

const placeKey = (p: HolidayPlace, lang: string) =>
  `${p.country.toUpperCase()}|${(p.region ?? '').toUpperCase()}|${lang}`;

/** Whether the library knows `country` and, when given, its subdivision `region`. */
export function isKnownPlace({ country, region }: HolidayPlace): boolean {
  const countries = catalogue.getCountries();
  if (!Object.hasOwn(countries, country)) return false;
  if (!region) return true;
  return Object.hasOwn(catalogue.getStates(country) ?? {}, region);
}

function computeYear(place: HolidayPlace, year: number, lang: string): Map<string, string> {
  const hd = place.region
    ? new Holidays(place.country, place.region, { types: ['public'], languages: [lang] })
    : new Holidays(place.country, { types: ['public'], languages: [lang] });
  const out = new Map<string, string>();
  for (const h of hd.getHolidays(year, lang) || []) {
    if (h.type !== 'public') continue;
    // A holiday may last several days; `date` is its first day in the country's own time.
    const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
    const first = Date.parse(`${h.date.slice(0, 10)}T00:00:00Z`);
    for (let i = 0; i < days; i += 1) {
      const date = new Date(first + i * DAY_MS).toISOString().slice(0, 10);
      if (date.startsWith(String(year)) && !out.has(date)) out.set(date, h.name);
    }
  }
  return out;
}

/**
 * The public holidays of `place` in `year`, date (`YYYY-MM-DD`) → name in `lang` when the
 * library has it (else the country's own language). Cached per place, year and language.
 */
export function publicHolidays(
  place: HolidayPlace,
  year: number,
  lang: Locale | string = 'en',
): ReadonlyMap<string, string> {
  const key = `${placeKey(place, lang)}|${year}`;
  let days = yearCache.get(key);
  if (!days) {
    days = isKnownPlace(place) ? computeYear(place, year, lang) : new Map();
    if (yearCache.size >= MAX_CACHED_YEARS) yearCache.clear();
    yearCache.set(key, days);
  }
  return days;
}

/** The public holidays of `place` from `fromYear` to `toYear` included, in one map. */
export function publicHolidaysBetween(
  place: HolidayPlace,
  fromYear: number,
  toYear: number,
  lang: Locale | string = 'en',
): Map<string, string> {
  const out = new Map<string, string>();
  for (let y = fromYear; y <= toYear; y += 1) {
    for (const [date, name] of publicHolidays(place, y, lang)) out.set(date, name);
  }
  return out;
}

/** A lookup by date for a calendar: each year is computed the first time one of its days is. */
export function holidayLookup(
  place: HolidayPlace,
  lang: Locale | string = 'en',
): (date: string) => string | undefined {
  return (date) => publicHolidays(place, Number(date.slice(0, 4)), lang).get(date);
}

/** Every country the library knows, with its subdivisions, names in `lang` where it has them. */
export function countries(lang: Locale | string = 'en'): CountryInfo[] {
  let list = countryCache.get(lang);
  if (!list) {
    // The library names countries in their own language; Intl knows them in ours.
    const names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
    // Named in `lang`, so listed as its readers expect.
    const byName = (a: { name: string }, b: { name: string }) => compareNames(a.name, b.name, lang);
    list = Object.entries(catalogue.getCountries(lang))
      .map(([code, name]) => ({
        code,
        name: names.of(code) ?? name,
        regions: Object.entries(catalogue.getStates(code, lang) ?? {})
          .map(([r, n]) => ({ code: r, name: n }))
          .sort(byName),
      }))
      .sort(byName);
    countryCache.set(lang, list);
  }
  return list;
}
