/**
 * The interface language. Paraglide's message functions read it through `getLocale`, which we
 * point at a reactive value: changing it re-renders every translated string without a reload.
 *
 * Before login: the saved choice (picked on the login page) or the browser's language, else
 * French. After login: the account's language wins (see session.svelte.ts).
 */
import { locales, type Locale } from '$shared/common';
import { overwriteGetLocale, overwriteSetLocale } from '$lib/paraglide/runtime.js';

const STORAGE_KEY = 'rappel.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

function savedLocale(): Locale | undefined {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLocale(saved) ? saved : undefined;
  } catch {
    return undefined;
  }
}

function browserLocale(): Locale | undefined {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

class I18n {
  locale = $state<Locale>(locales[0]);

  /**
   * The tag dates and times are written with: British English for English, as the interface
   * is spelt ("6 Dec 2026", a 24-hour clock), rather than the United States' "Dec 6, 2026".
   */
  get dateLocale(): string {
    return this.locale === 'en' ? 'en-GB' : this.locale;
  }

  /** The saved choice, else the browser's language, else French. */
  init() {
    this.set(savedLocale() ?? browserLocale() ?? locales[0]);
  }

  /** Switches the interface language; `remember` keeps it for the next visit. */
  set(locale: Locale, { remember = false } = {}) {
    this.locale = locale;
    document.documentElement.lang = locale;
    if (remember) {
      try {
        localStorage.setItem(STORAGE_KEY, locale);
      } catch {
        // Private mode or storage disabled: the choice lasts for this visit only.
      }
    }
  }
}

export const i18n = new I18n();

overwriteGetLocale(() => i18n.locale);
overwriteSetLocale((locale) => i18n.set(locale, { remember: true }));

/** Names of the languages, each written in its own language. */
export const languageNames: Record<Locale, string> = { fr: 'Français', en: 'English' };
