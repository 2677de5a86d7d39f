import { createStore, useStore } from './store.js';

/**
 * A small history router: paths map to named routes; same-origin links are
 * followed without a page load (see `interceptLinks`).
 */
export type Route =
  | { name: 'sessions' }
  | { name: 'session'; slug: string }
  | { name: 'qa'; slug: string; view: 'attend' | 'moderate' | 'present' }
  | { name: 'forum'; forumId: number }
  | { name: 'thread'; forumId: number; questionId: number }
  | { name: 'moderationQueue'; forumId: number }
  | { name: 'moderationRecord'; forumId: number }
  | { name: 'signin' }
  | { name: 'signup' }
  | { name: 'invite'; token: string }
  | { name: 'join'; code: string }
  | { name: 'search' }
  | { name: 'person'; id: string }
  | { name: 'account' }
  | { name: 'accountNotifications' }
  | { name: 'unsubscribe' }
  | { name: 'outbox' }
  | { name: 'forgotPassword' }
  | { name: 'resetPassword' }
  | { name: 'verifyEmail' }
  | { name: 'notFound' };

export interface Location {
  path: string;
  search: URLSearchParams;
  hash: string;
}

const read = (): Location => ({
  path: window.location.pathname,
  search: new URLSearchParams(window.location.search),
  hash: window.location.hash.slice(1),
});

export const location = createStore<Location>(read());
export const useLocation = () => useStore(location);

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  const target = new URL(url, window.location.href);
  const current = window.location.pathname + window.location.search;
  if (options.replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  const samePage = target.pathname + target.search === current;
  location.set(read());
  if (!samePage && !target.hash) window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => location.set(read()));
window.addEventListener('hashchange', () => location.set(read()));

export function matchRoute(path: string): Route {
  const parts = path.replace(/\/+$/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const int = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : null);
  if (parts.length === 0) return { name: 'sessions' };
  const [a, b, c, d] = parts;
  if (a === 'sessions' && parts.length === 1) return { name: 'sessions' };
  if (a === 'sessions' && parts.length === 2) return { name: 'session', slug: b };
  if (a === 'sessions' && parts.length === 3 && c === 'qa') return { name: 'qa', slug: b, view: 'attend' };
  if (a === 'sessions' && parts.length === 4 && c === 'qa' && (d === 'moderate' || d === 'present')) return { name: 'qa', slug: b, view: d };
  if (a === 'forums' && parts.length === 2 && int(b)) return { name: 'forum', forumId: int(b)! };
  if (a === 'forums' && parts.length === 4 && c === 'questions' && int(b) && int(d)) return { name: 'thread', forumId: int(b)!, questionId: int(d)! };
  if (a === 'forums' && parts.length === 3 && c === 'moderation' && int(b)) return { name: 'moderationQueue', forumId: int(b)! };
  if (a === 'forums' && parts.length === 3 && c === 'record' && int(b)) return { name: 'moderationRecord', forumId: int(b)! };
  if (a === 'signin' && parts.length === 1) return { name: 'signin' };
  if (a === 'signup' && parts.length === 1) return { name: 'signup' };
  if (a === 'invite' && parts.length === 2) return { name: 'invite', token: b };
  if (a === 'j' && parts.length === 2) return { name: 'join', code: b };
  if (a === 'search' && parts.length === 1) return { name: 'search' };
  if (a === 'people' && parts.length === 2) return { name: 'person', id: b };
  if (a === 'account' && parts.length === 1) return { name: 'account' };
  if (a === 'account' && b === 'notifications' && parts.length === 2) return { name: 'accountNotifications' };
  if (a === 'unsubscribe' && parts.length === 1) return { name: 'unsubscribe' };
  if (a === 'forgot-password' && parts.length === 1) return { name: 'forgotPassword' };
  if (a === 'reset-password' && parts.length === 1) return { name: 'resetPassword' };
  if (a === 'verify-email' && parts.length === 1) return { name: 'verifyEmail' };
  if (a === 'admin' && b === 'outbox' && parts.length === 2) return { name: 'outbox' };
  return { name: 'notFound' };
}

export const paths = {
  sessions: (query = '') => `/${query}`,
  session: (slug: string) => `/sessions/${encodeURIComponent(slug)}`,
  qa: (slug: string, view: 'attend' | 'moderate' | 'present' = 'attend') => `/sessions/${encodeURIComponent(slug)}/qa${view === 'attend' ? '' : `/${view}`}`,
  forum: (forumId: number) => `/forums/${forumId}`,
  thread: (forumId: number, questionId: number) => `/forums/${forumId}/questions/${questionId}`,
  reply: (forumId: number, questionId: number, replyId: string) => `/forums/${forumId}/questions/${questionId}#reply-${replyId}`,
  moderationQueue: (forumId: number) => `/forums/${forumId}/moderation`,
  moderationRecord: (forumId: number, view?: 'log' | 'mine' | 'public') => `/forums/${forumId}/record${view ? `?view=${view}` : ''}`,
  join: (code: string) => `/j/${encodeURIComponent(code)}`,
  signIn: (next?: string) => (next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'),
  search: (q: string, extra = '') => `/search?q=${encodeURIComponent(q)}${extra}`,
  person: (id: string) => `/people/${encodeURIComponent(id)}`,
  account: () => '/account',
  /** Built on another branch (notification preferences); linked from the account page. */
  accountNotifications: () => '/account/notifications',
  signUp: (next?: string) => (next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'),
};

/** A `next` parameter is only followed to a path on this site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Follows plain clicks on same-origin links through the router. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = (event.target as Element | null)?.closest?.('a');
    if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download') || a.dataset.native !== undefined) return;
    const href = a.getAttribute('href');
    if (!href || href.startsWith('http') || href.startsWith('//') || href.startsWith('mailto:')) return;
    const url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
    event.preventDefault();
    if (href.startsWith('#')) {
      history.pushState(null, '', url);
      location.set(read());
      return;
    }
    navigate(url.pathname + url.search + url.hash);
  });
}
