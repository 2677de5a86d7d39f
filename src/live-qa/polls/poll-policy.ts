/**
 * The rules of live polls as pure functions: the kinds, which acts apply to
 * which states, how a word-cloud answer is folded before it is counted, and
 * whether an answer fits its poll.
 */

export type PollKind = 'single' | 'multiple' | 'rating' | 'word_cloud' | 'open_text';
export const POLL_KINDS: PollKind[] = ['single', 'multiple', 'rating', 'word_cloud', 'open_text'];
export type PollState = 'draft' | 'open' | 'closed';

export type PollAction = 'launch' | 'close' | 'reveal' | 'hide' | 'show' | 'unshow' | 'remove_word' | 'approve_text' | 'reject_text';
export const POLL_ACTIONS: PollAction[] = ['launch', 'close', 'reveal', 'hide', 'show', 'unshow', 'remove_word', 'approve_text', 'reject_text'];

export const MAX_POLL_PROMPT_LENGTH = 300;
export const MAX_POLL_OPTIONS = 10;
export const MAX_POLL_OPTION_LENGTH = 120;
/** A word cloud takes short answers: a word or a few. */
const MAX_WORD_LENGTH = 40;
export const MAX_OPEN_TEXT_LENGTH = 300;

/** Which states each act starts from (launching a closed poll opens it again). */
export const POLL_TRANSITIONS: Record<PollAction, PollState[]> = {
  launch: ['draft', 'closed'],
  close: ['open'],
  reveal: ['draft', 'open', 'closed'],
  hide: ['draft', 'open', 'closed'],
  show: ['open', 'closed'],
  unshow: ['draft', 'open', 'closed'],
  remove_word: ['open', 'closed'],
  approve_text: ['open', 'closed'],
  reject_text: ['open', 'closed'],
};

/** Which acts only apply to one kind. */
export const ACT_KIND: Partial<Record<PollAction, PollKind>> = { remove_word: 'word_cloud', approve_text: 'open_text', reject_text: 'open_text' };

/**
 * A word-cloud answer as it is counted: lower case, accents dropped (NFD,
 * then the combining marks removed), inner spaces collapsed, so "Énergie",
 * "energie" and " ENERGIE " are one entry.
 */
export function foldWord(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('und').replace(/\s+/g, ' ').trim();
}

export interface PollAnswerInput {
  choices?: number[];
  rating?: number;
  text?: string;
}

/** What is wrong with an answer for a poll of this kind ({ field, message }), or null when it fits. */
export function answerProblem(kind: PollKind, optionCount: number, answer: PollAnswerInput): { field: string; message: string } | null {
  const given = (['choices', 'rating', 'text'] as const).filter((k) => answer[k] !== undefined);
  const wanted = kind === 'single' || kind === 'multiple' ? 'choices' : kind === 'rating' ? 'rating' : 'text';
  if (given.length !== 1 || given[0] !== wanted) {
    const what = wanted === 'choices' ? 'choices (option numbers, from 0)' : wanted === 'rating' ? 'rating (1 to 5)' : 'text';
    return { field: wanted, message: `a ${kind.replace('_', ' ')} poll takes ${what} only` };
  }
  if (wanted === 'choices') {
    const choices = answer.choices!;
    if (kind === 'single' && choices.length !== 1) return { field: 'choices', message: 'a single choice poll takes exactly one choice' };
    if (choices.some((c) => c >= optionCount)) return { field: 'choices', message: `choices must be option numbers from 0 to ${optionCount - 1}` };
    if (new Set(choices).size !== choices.length) return { field: 'choices', message: 'choices must not repeat an option' };
  }
  if (wanted === 'text') {
    const max = kind === 'word_cloud' ? MAX_WORD_LENGTH : MAX_OPEN_TEXT_LENGTH;
    const n = [...answer.text!].length;
    if (n > max) return { field: 'text', message: `text must be at most ${max} characters long for a ${kind.replace('_', ' ')} poll (it has ${n})` };
    if (kind === 'word_cloud' && foldWord(answer.text!) === '') return { field: 'text', message: 'text must contain a word' };
  }
  return null;
}
