/**
 * The page's language as rune state: components call `i18n.t(key)` and re-render when the
 * learner switches language. The choice is remembered in localStorage when it is available; the
 * module also loads without a DOM (tests, workers), where it simply speaks the default.
 */
import type { Locale, MessageKey, MessageParams, PluralBase } from './catalog.ts';
import { formatCount, isLocale, translate, translatePlural } from './catalog.ts';

/** Where the chosen language is remembered. */
export const LOCALE_STORAGE_KEY = 'chainlab.locale';

/** The saved choice, if storage is there, readable and holds a locale we speak. */
function savedLocale(): Locale | null {
  try {
    if (typeof localStorage === 'undefined') return null;
    const saved = localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(saved) ? saved : null;
  } catch {
    // Storage disabled (some private windows) or blocked: no saved choice.
    return null;
  }
}

/** French when the browser's language is French (fr, fr-FR, fr_CA…), otherwise nothing. */
function browserLocale(): Locale | null {
  try {
    if (typeof navigator === 'undefined') return null;
    const language: unknown = navigator.language;
    return typeof language === 'string' && /^fr(?:[-_]|$)/i.test(language) ? 'fr' : null;
  } catch {
    return null;
  }
}

/** The language to start in: the saved choice, else the browser's French, else English. */
export function initialLocale(): Locale {
  return savedLocale() ?? browserLocale() ?? 'en';
}

/** Tell the browser (screen readers, hyphenation, spell checkers) which language the page is in. */
function applyToDocument(locale: Locale): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = locale;
}

/** The current language and the words in it. */
export class I18n {
  locale = $state<Locale>('en');

  constructor(initial: Locale = initialLocale()) {
    this.locale = initial;
    applyToDocument(initial);
  }

  /** A message in the current language; a placeholder without a value stays visible. */
  t(key: MessageKey, params?: MessageParams): string {
    return translate(this.locale, key, params);
  }

  /** The singular or plural form of a message for a count (`{count}` is filled in). */
  plural(base: PluralBase, count: number, params?: MessageParams): string {
    return translatePlural(this.locale, base, count, params);
  }

  /** {@link plural}, with the count's digits grouped as the locale writes them ("4,096 hashes"). */
  counted(base: PluralBase, count: number): string {
    return translatePlural(this.locale, base, count, { count: formatCount(this.locale, count) });
  }

  /** Switch language, remember the choice when storage allows, and label the page. */
  setLocale(locale: Locale): void {
    this.locale = locale;
    try {
      if (typeof localStorage !== 'undefined') localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    } catch {
      // Storage full, disabled or blocked: the choice lasts until the page closes.
    }
    applyToDocument(locale);
  }
}

/** The page's shared instance. */
export const i18n = new I18n();
