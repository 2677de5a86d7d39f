import type { Language } from '../api.js';
import { formatNumber, language } from '../i18n/index.js';
import en from './messages.en.js';
import es from './messages.es.js';
import fr from './messages.fr.js';

/**
 * The moderation features' interface text, in catalogues of their own (same
 * rules as i18n/: every key in en, es and fr, checked by the compiler;
 * plurals as `key_one` / `key_other`). The thread's texts are here; the
 * moderation pages' texts (page-i18n.ts) load with those pages, so the
 * first page stays small.
 */
type PluralBase<K> = K extends `${infer B}_other` ? B : never;

function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** `t` (a text), `tn` (a counted phrase: `tn('queue.count', 3)` → "3 items to review") and `has` for one set of catalogues. */
export function translator<M extends Record<string, string>>(catalogues: Record<Language, M>) {
  type Key = keyof M & string;
  const t = (key: Key, params?: Record<string, string | number>): string => fill(catalogues[language()][key] ?? catalogues.en[key], params);
  const tn = (key: PluralBase<Key>, n: number, params?: Record<string, string | number>): string => {
    const form = new Intl.PluralRules(language()).select(n) === 'one' ? 'one' : 'other';
    return t(`${key}_${form}` as Key, { n: formatNumber(n), ...params });
  };
  /** Whether a key exists (for texts chosen by a server code, e.g. an act's name). */
  const has = (key: string): key is Key => key in catalogues.en;
  return { t, tn, has };
}

export type ModKey = keyof typeof en;
export const { t: tm, tn: tmn } = translator({ en, es, fr });
