import { detectAll } from 'tinyld';
import { LANGUAGES, type Language } from '../auth/account.entity.js';

/** Fewer words than this and the detector is guessing: the writer falls back to the author's language. */
const MIN_WORDS = 3;

/**
 * The language a text is written in, among the network's three, or null when
 * the text is too short or the detector has no answer (the caller then uses
 * the author's language). Decides which stemmer indexes the reply for search.
 */
export function detectLanguage(text: string): Language | null {
  const plain = text.replace(/```[\s\S]*?```|`[^`]*`|https?:\/\/\S+|[#*_>~[\]()!-]/g, ' ');
  if (plain.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length < MIN_WORDS) return null;
  const [best] = detectAll(plain, { only: LANGUAGES });
  return best && (LANGUAGES as string[]).includes(best.lang) ? (best.lang as Language) : null;
}

/** SQL for a reply's language: the detected one ($detected), else its author's ($author). */
export const replyLanguageSql = (detectedParam: string, authorParam: string) =>
  `coalesce(${detectedParam}::text, (SELECT language FROM account WHERE id = ${authorParam}))`;
