import { call } from './api.js';

/** Shapes of src/notifications and src/mail (server DTOs: notification.views.ts, unread.views.ts, mail.views.ts). */
export interface AppNotification {
  id: string;
  kind: string;
  forumId: number;
  questionId: number | null;
  replyId: string | null;
  actor: { id: string; displayName: string } | null;
  data: Record<string, unknown>;
  link: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationGroup {
  forumId: number;
  questionId: number | null;
  questionTitle: string | null;
  count: number;
  unread: number;
  items: AppNotification[];
}

/** "N new" per question and questions new since the last visit (server: unread.views.ts). */
export interface QuestionUnread {
  questionId: number;
  read: boolean;
  newReplies: number;
  isNew: boolean;
}
export interface ForumUnread {
  forumId: number;
  lastVisitAt: string | null;
  questions: QuestionUnread[];
}

export type MailFrequency = 'immediate' | 'daily' | 'weekly' | 'none';
export const MAIL_KINDS = ['replies', 'mentions', 'watching', 'moderation', 'forum', 'digest'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export interface MailPreferences {
  frequency: MailFrequency;
  kinds: Record<MailKind, boolean>;
}

export const notificationsApi = {
  list: () => call<{ groups: NotificationGroup[]; unread: number }>('GET', '/me/notifications?limit=50'),
  unread: () => call<{ unread: number }>('GET', '/me/notifications/unread-count'),
  markRead: (body: { ids?: string[]; questionId?: number; all?: boolean }) => call<{ unread: number }>('POST', '/me/notifications/read', body),
  readPosition: (questionId: number) =>
    call<{ lastReadReplyId: string | null; unread: number; firstUnreadReplyId: string | null }>('GET', `/questions/${questionId}/read-position`),
  markThreadRead: (questionId: number, replyId: string) => call('PUT', `/questions/${questionId}/read-position`, { replyId }),
  /** Records a visit to the forum page and answers the unread state as it was before it. */
  visitForum: (forumId: number) => call<ForumUnread>('POST', `/forums/${forumId}/visit`),
  /** Sessions with new activity in the forums I follow (the catalogue's marks). */
  activity: () => call<{ sessions: { sessionId: number; forumIds: number[] }[] }>('GET', '/me/activity'),
  mailPreferences: () => call<MailPreferences>('GET', '/me/mail-preferences'),
  setMailPreferences: (body: Partial<{ frequency: MailFrequency; kinds: Partial<Record<MailKind, boolean>> }>) => call<MailPreferences>('PUT', '/me/mail-preferences', body),
  describeUnsubscribe: (token: string, kind: string) => call<{ kind: string; subscribed: boolean }>('GET', `/mail/unsubscribe?token=${encodeURIComponent(token)}&kind=${encodeURIComponent(kind)}`),
  unsubscribe: (token: string, kind: string) => call<{ kind: string; subscribed: boolean }>('POST', `/mail/unsubscribe?token=${encodeURIComponent(token)}&kind=${encodeURIComponent(kind)}`),
  outbox: () => call<{ items: { id: string; to: string; subject: string; kind: string; text: string; createdAt: string }[] }>('GET', '/admin/outbox'),
};
