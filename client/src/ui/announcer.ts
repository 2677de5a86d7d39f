import { createStore } from '../store.js';

/** Text for the page's polite ARIA live region (arriving replies, reconnection). */
export const announcement = createStore('');

let pending: string[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

/** Batches announcements so a burst of replies is read out once, not one by one. */
export function announce(text: string): void {
  pending.push(text);
  if (timer) return;
  timer = setTimeout(() => {
    const unique = [...new Set(pending)];
    pending = [];
    timer = null;
    // Clearing first makes screen readers repeat an identical message.
    announcement.set('');
    requestAnimationFrame(() => announcement.set(unique.slice(-3).join('. ')));
  }, 400);
}
