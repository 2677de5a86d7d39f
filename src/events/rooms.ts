/**
 * Room names, chosen by the server only (clients never name a room).
 *
 * A socket that subscribes to forum F joins `forum:F` (everyone following F:
 * presence, kicks, forum-wide events); if it narrowed the subscription to a
 * question Q it also joins `forum:F:narrow` and `forum:F:q:Q`, and
 * thread events reach it through the latter only. Moderators also join
 * `forum:F:mod`; anonymous sockets `forum:F:anon` (they get presence counts
 * without names). Every socket is in `account:A` and `login:S` when signed
 * in, so sign-out and removal reach it on any instance.
 */
export const rooms = {
  forum: (forumId: number) => `forum:${forumId}`,
  narrow: (forumId: number) => `forum:${forumId}:narrow`,
  question: (forumId: number, questionId: number) => `forum:${forumId}:q:${questionId}`,
  moderators: (forumId: number) => `forum:${forumId}:mod`,
  anonymous: (forumId: number) => `forum:${forumId}:anon`,
  account: (accountId: string) => `account:${accountId}`,
  login: (sessionId: string) => `login:${sessionId}`,
  /** Everyone following session S's live Q&A, and its moderators (src/live-qa). */
  qa: (sessionId: number) => `qa:${sessionId}`,
  qaModerators: (sessionId: number) => `qa:${sessionId}:mod`,
};

/** The forum id of a `forum:F` room, or null for any other room. */
export function forumIdOfRoom(room: string): number | null {
  const match = /^forum:(\d+)$/.exec(room);
  return match ? Number(match[1]) : null;
}
