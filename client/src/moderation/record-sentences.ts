import { formatDate, formatNumber } from '../i18n/index.js';
import { hasPageKey, tp, type PageKey } from './page-i18n.js';

type Values = Record<string, unknown> | null;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const isOn = (v: unknown) => v !== null && v !== undefined && v !== false && v !== 0 && v !== '';

/** A recorded value, short and in the reader's language: times and numbers through Intl, long texts cut. */
function shown(v: unknown): string {
  if (v === null || v === undefined) return tp('change.unset');
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string' && ISO_TIME.test(v)) return formatDate(v);
  if (typeof v === 'string' && hasPageKey(`change.value.${v}`)) return tp(`change.value.${v}` as PageKey);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Fields whose sentence depends only on whether the new value is set ("….on" / "….off"). */
const ON_OFF = new Set(['featured', 'pinned', 'locked', 'closed', 'slowModeSeconds', 'until', 'premoderation', 'premoderateFirstReplies', 'flagThreshold', 'maxRepliesPerHour', 'memberQuestions']);

/** One changed field of a recorded act as a sentence in the reader's language ("It went from visible to hidden."). */
export function changeSentence(field: string, before: unknown, after: unknown): string {
  const params = { field, from: shown(before), to: shown(after) };
  const say = (key: string) => tp(key as PageKey, params);
  if (ON_OFF.has(field)) return say(`change.${field}.${isOn(after) ? 'on' : 'off'}`);
  switch (field) {
    case 'stateReason':
    case 'synthesis':
      if (!isOn(after)) return say(`change.${field}.cleared`);
      return say(`change.${field}.${isOn(before) ? 'changed' : 'set'}`);
    case 'parentId':
      return say(`change.parentId.${isOn(after) ? 'reply' : 'question'}`);
    case 'removal':
      return hasPageKey(`change.removal.${String(after)}`) ? say(`change.removal.${String(after)}`) : say('change.other');
    default:
      return hasPageKey(`change.${field}`) ? say(`change.${field}`) : say('change.other');
  }
}

/** The sentences for every field an act changed, in the order the record lists them. */
export function changeSentences(before: Values, after: Values): string[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]),
  );
  return keys.map((k) => changeSentence(k, before?.[k] ?? null, after?.[k] ?? null));
}
