import { avatarPath } from '../auth/account-view.js';
import { MARK_START, MARK_STOP } from './search-sql.js';
import type { SpeakerView } from './dto/search.views.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const MARKED = new RegExp(`${MARK_START}([^${MARK_START}${MARK_STOP}]*)${MARK_STOP}`, 'g');
const STRAY = new RegExp(`[${MARK_START}${MARK_STOP}]`, 'g');

/**
 * A ts_headline result as safe HTML: everything escaped (the text is the
 * author's markdown source, never trusted), then the matched words wrapped in
 * <mark>. Marks come as private-use characters; one typed into the text can at
 * worst mark words, never add markup.
 */
export function highlightedHtml(headline: string): string {
  const escaped = headline.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
  return escaped.replace(MARKED, '<mark>$1</mark>').replace(STRAY, '');
}

export function speakerView(row: { author_id: string | null; author_name: string | null; author_organisation: string | null; author_avatar_at: Date | null }): SpeakerView | null {
  if (!row.author_id) return null;
  return { id: row.author_id, displayName: row.author_name!, organisation: row.author_organisation, avatarUrl: avatarPath(row.author_id, row.author_avatar_at) };
}
