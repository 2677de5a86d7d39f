import { ApiError } from '../api/client.js';
import { formatDate, language } from '../i18n/index.js';
import { tm } from './i18n.js';

/** "at 10:42 (in 25 seconds)": a moment soon, in the reader's language. */
export function formatWhen(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const seconds = Math.max(1, Math.round((at.getTime() - now) / 1000));
  const rtf = new Intl.RelativeTimeFormat(language(), { numeric: 'always' });
  const relative = seconds < 90 ? rtf.format(seconds, 'second') : seconds < 5400 ? rtf.format(Math.round(seconds / 60), 'minute') : rtf.format(Math.round(seconds / 3600), 'hour');
  const time = new Intl.DateTimeFormat(language(), seconds < 86400 ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(at);
  return tm('limit.at', { time, relative });
}

/**
 * Why a reply could not be posted, when the reason is a moderation limit
 * (slow mode, a silence): says when the person can post again. Null for
 * any other error.
 */
export function postingLimitMessage(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'slow_mode') {
    const retryAt = error.field('retryAt');
    return retryAt ? tm('limit.slowMode', { when: formatWhen(retryAt) }) : error.message;
  }
  if (error.code === 'silenced') {
    const until = error.field('until');
    return until ? tm('limit.silenced', { until: formatDate(until, 'datetime') }) : error.message;
  }
  return null;
}

/** "30 seconds", "5 minutes", "2 hours": a slow-mode interval. */
export function formatInterval(seconds: number): string {
  const unit = (n: number, u: 'second' | 'minute' | 'hour') => new Intl.NumberFormat(language(), { style: 'unit', unit: u, unitDisplay: 'long' }).format(n);
  if (seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}
