import { formatDate } from '../i18n/index.js';
import type { ThreadNotice } from '../threads/thread-events.js';
import { tm } from './i18n.js';

/**
 * What an open thread tells its reader after a moderation event (the events
 * themselves are applied by the thread's one reducer, threads/thread-events.ts).
 */
export function noticeText(notice: ThreadNotice): string {
  switch (notice.kind) {
    case 'moved':
      return tm('reply.goneMoved');
    case 'flagResolved':
      return notice.state === 'upheld' ? tm('flag.resolved.upheld') : tm('flag.resolved.dismissed');
    case 'silenced':
      return tm('limit.silenced', { until: formatDate(notice.until, 'datetime') });
  }
}
