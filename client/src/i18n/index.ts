import type { Language } from '../api.js';
import en, { type Messages } from './en.js';
import es from './es.js';
import fr from './fr.js';

/**
 * Interface text in English, Spanish and French. The language comes from an
 * explicit choice (kept in localStorage), else the account, else the browser.
 * Plurals use `key_one` / `key_other` picked by Intl.PluralRules.
 */
const catalogues: Record<Language, Messages> = { en, es, fr };
export type MessageKey = keyof Messages;
type PluralBase<K> = K extends `${infer B}_other` ? B : never;
export type PluralKey = PluralBase<MessageKey>;

const STORAGE_KEY = 'agora.language';
let current: Language = 'en';
let rules = new Intl.PluralRules('en');

export const isLanguage = (v: unknown): v is Language => v === 'en' || v === 'es' || v === 'fr';

export function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

export function rememberLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

export function browserLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag?.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function setLanguage(lang: Language): void {
  current = lang;
  rules = new Intl.PluralRules(lang);
  document.documentElement.lang = lang;
}

export const language = (): Language => current;

/** Each language named in itself, so a reader can find theirs whatever the interface shows. */
export function nativeLanguageName(l: Language): string {
  return { en: 'English', es: 'Español', fr: 'Français' }[l];
}

function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return fill(catalogues[current][key] ?? en[key], params);
}

/** A counted phrase: `tn('forum.replies', 3)` → "3 replies". */
export function tn(key: PluralKey, n: number, params?: Record<string, string | number>): string {
  const form = rules.select(n) === 'one' ? 'one' : 'other';
  const k = `${key}_${form}` as MessageKey;
  return t(k in en ? k : (`${key}_other` as MessageKey), { n: formatNumber(n), ...params });
}

export const formatNumber = (n: number) => new Intl.NumberFormat(current).format(n);

export function formatDate(iso: string, style: 'date' | 'datetime' | 'long' = 'datetime'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const opts: Intl.DateTimeFormatOptions =
    style === 'date'
      ? { dateStyle: 'medium' }
      : style === 'long'
        ? { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }
        : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(current, opts).format(d);
}

export function formatTimeRange(startIso: string, endIso: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return '';
  const f = new Intl.DateTimeFormat(current, { dateStyle: 'full', timeStyle: 'short' });
  return f.formatRange ? f.formatRange(start, end) : `${f.format(start)} – ${f.format(end)}`;
}

/** "5 minutes ago" in the reader's language; older dates as a plain date. */
export function formatRelative(iso: string, now = Date.now()): string {
  const d = new Date(iso).getTime();
  if (Number.isNaN(d)) return '';
  const seconds = Math.round((d - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return t('time.justNow');
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 7) return rtf.format(Math.round(seconds / 86400), 'day');
  return formatDate(iso, 'date');
}

export function formatList(items: string[]): string {
  return new Intl.ListFormat(current, { style: 'long', type: 'conjunction' }).format(items);
}
