import { en, type StringKey, type Strings } from './strings-en.js';
import { fr } from './strings-fr.js';

const locales = new Map<string, Partial<Strings>>([
  ['en', en],
  ['fr', fr],
]);
let current: string | undefined;
const listeners = new Set<() => void>();

/** Adds (or extends) a locale's strings; missing keys fall back to English. */
export function registerLocale(locale: string, strings: Partial<Strings>): void {
  locales.set(locale, { ...locales.get(locale), ...strings });
  listeners.forEach((listener) => listener());
}

/**
 * @internal An element's own strings (defaults: what registerLocale() set wins), kept out of the
 * shared dictionaries so that elements which do not use them do not carry them.
 */
export function addStrings(locale: string, strings: Record<string, string>): void {
  locales.set(locale, { ...(strings as Partial<Strings>), ...locales.get(locale) });
}

/** Switches every widget without its own `locale` to this locale (`undefined`: the page's `<html lang>`). */
export function setLocale(locale: string | undefined): void {
  current = locale;
  listeners.forEach((listener) => listener());
}

/** The locale in force for widgets without their own `locale`. */
export function getLocale(): string {
  return current || (typeof document !== 'undefined' && document.documentElement.lang) || navigatorLanguage() || 'en';
}

/** @internal Re-render on registerLocale/setLocale. */
export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The string for `key` in `locale` (or its language, or English), with `{name}` filled in. */
export function translate(locale: string, key: StringKey, overrides: Partial<Strings> | undefined, vars?: Record<string, string | number>): string {
  const language = locale.split('-')[0]!;
  const raw = overrides?.[key] ?? locales.get(locale)?.[key] ?? locales.get(language)?.[key] ?? en[key] ?? locales.get('en')?.[key] ?? key;
  return vars ? raw.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? '')) : raw;
}

export type { Strings, StringKey };

function navigatorLanguage(): string | undefined {
  return typeof navigator !== 'undefined' ? navigator.language : undefined;
}
