import { answer, api, type Schemas } from '../api/client.js';
import type { operations } from '../generated/api.js';

/** Notifications, read positions and mail preferences over HTTP (server: src/notifications, src/mail). */

export type AppNotification = Schemas['NotificationView'];
export type NotificationGroup = Schemas['NotificationGroupView'];
/** "N new" per question and questions new since the last visit. */
export type ForumUnread = Schemas['ForumUnreadView'];
export type QuestionUnread = Schemas['QuestionUnreadView'];
export type MailPreferences = Schemas['MailPreferencesView'];
export type MailFrequency = MailPreferences['frequency'];
export type MailKind = keyof Schemas['MailKinds'];
export const MAIL_KINDS: MailKind[] = ['replies', 'mentions', 'watching', 'moderation', 'forum', 'digest'];
type UnsubscribeQuery = operations['MailController_unsubscribe']['parameters']['query'];

const question = (questionId: number) => ({ params: { path: { id: questionId } } });
// The link's kind comes from the mail's URL as it is; the server names a wrong one.
const unsubscribing = (token: string, kind: string) => ({ params: { query: { token, kind: kind as UnsubscribeQuery['kind'] } } });

export const notificationsApi = {
  list: () => answer(api.GET('/api/me/notifications', { params: { query: { limit: 50 } } })),
  unread: () => answer(api.GET('/api/me/notifications/unread-count')),
  markRead: (body: Schemas['MarkReadDto']) => answer(api.POST('/api/me/notifications/read', { body })),
  readPosition: (questionId: number) => answer(api.GET('/api/questions/{id}/read-position', question(questionId))),
  markThreadRead: (questionId: number, replyId: string) => answer(api.PUT('/api/questions/{id}/read-position', { ...question(questionId), body: { replyId } })),
  /** Records a visit to the forum page and answers the unread state as it was before it. */
  visitForum: (forumId: number) => answer(api.POST('/api/forums/{forumId}/visit', { params: { path: { forumId } } })),
  /** Sessions with new activity in the forums I follow (the catalogue's marks). */
  activity: () => answer(api.GET('/api/me/activity')),
  mailPreferences: () => answer(api.GET('/api/me/mail-preferences')),
  setMailPreferences: (body: Schemas['MailPreferencesDto']) => answer(api.PUT('/api/me/mail-preferences', { body })),
  describeUnsubscribe: (token: string, kind: string) => answer(api.GET('/api/mail/unsubscribe', unsubscribing(token, kind))),
  unsubscribe: (token: string, kind: string) => answer(api.POST('/api/mail/unsubscribe', unsubscribing(token, kind))),
  outbox: () => answer(api.GET('/api/admin/outbox')),
};
