import { useEffect, useRef } from 'preact/hooks';
import type { Follower } from '../live.js';

/** Follows a forum (or one thread) live while the component is shown; loads the socket client on first use. */
let liveLoaded = false;

/**
 * Resolves once the browser has painted the frame now being rendered. Preact
 * runs effects after 100 ms even when no frame came (a slow phone), so the
 * socket client's download and handshake would compete with the page's first
 * paint; waiting for a real frame keeps them behind it. A hidden tab paints
 * no frames: it goes on at once (the subscription replays what it missed).
 */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (document.visibilityState === 'hidden' || typeof requestAnimationFrame !== 'function') setTimeout(resolve, 0);
    else requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

/** The socket client, once the page has painted. */
function importLive(): Promise<typeof import('../live.js')> {
  return afterNextPaint()
    .then(() => import('../live.js'))
    .then((live) => {
      liveLoaded = true;
      return live;
    });
}

/**
 * `fromSeq`: where the page's data was read (replayed from there, so reading
 * and subscribing can run side by side); read when the subscription starts.
 */
export function useFollow(forumId: number, questionId: number | null, follower: Follower, enabled = true, fromSeq: number | null = null): void {
  const ref = useRef(follower);
  ref.current = follower;
  const from = useRef(fromSeq);
  from.current = fromSeq;
  useEffect(() => {
    if (!enabled) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    importLive().then((live) => {
      if (cancelled) return;
      stop = live.follow(forumId, questionId, {
        onEvent: (e) => ref.current.onEvent(e),
        onPresence: (p) => ref.current.onPresence?.(p),
        onTyping: (who, typing, ttl) => ref.current.onTyping?.(who, typing, ttl),
        onResync: () => ref.current.onResync?.(),
        onSubscribed: (first) => ref.current.onSubscribed?.(first),
        onRefused: (code, message) => ref.current.onRefused?.(code, message),
      }, from.current);
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [forumId, questionId, enabled]);
}

/** Sends "typing" for a thread (throttled in live.ts). */
export function sendTyping(questionId: number): void {
  import('../live.js').then((live) => live.typing(questionId));
}

/** The socket client, loaded on first use (remembered, so a sign-in change re-handshakes it). */
export function loadLive(): Promise<typeof import('../live.js')> {
  return importLive();
}

/** Re-handshakes the socket after sign-in or sign-out, if it is loaded. */
export function reauthenticateLive(): void {
  if (liveLoaded) import('../live.js').then((live) => live.reauthenticate());
}
