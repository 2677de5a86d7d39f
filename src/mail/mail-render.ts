import escapeHtml from 'escape-html';
import type { Language } from '../auth/account.entity.js';
import type { NotificationKind, NotificationView } from '../notifications/dto/notification.views.js';
import { MAIL_TEXTS } from './mail-texts.js';

/** What a member can stop receiving by mail, one click each. */
export const MAIL_KINDS = ['replies', 'mentions', 'watching', 'moderation', 'forum', 'digest'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const MAIL_KIND_OF: Record<NotificationKind, Exclude<MailKind, 'digest'>> = {
  reply_to_reply: 'replies',
  reply_to_question: 'replies',
  mention: 'mentions',
  watched_reply: 'watching',
  watched_question: 'watching',
  reply_featured: 'moderation',
  reply_hidden: 'moderation',
  reply_approved: 'moderation',
  flag_resolved: 'moderation',
  invitation_accepted: 'forum',
  live_question_handed_over: 'forum',
  moderation_queue: 'moderation',
};

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** The kind its one-click unsubscribe stops. */
  kind: MailKind;
}

export interface MailLinks {
  /** The absolute link to a path of the web client (PublicLinks.to). */
  link: (path: string) => string;
  /** The page that confirms an unsubscribe (the mail's own link; the header's is the one-click POST). */
  unsubscribePage: (kind: MailKind) => string;
}

function lineOf(n: NotificationView, language: Language): string {
  const t = MAIL_TEXTS[language];
  const title = String(n.data.questionTitle ?? '');
  const line = t.kind[n.kind](n.actor?.displayName ?? t.someone, title);
  return n.kind === 'reply_hidden' && typeof n.data.reason === 'string' ? `${line}. ${t.reason(n.data.reason)}` : line;
}

/**
 * One mail for a member's pending notifications, grouped by thread, newest
 * first: the subject says the one thing, or how many; each line links to
 * where it happened. `digest` names the period of a digest mail.
 */
export function renderNotificationMail(
  items: NotificationView[], language: Language, links: MailLinks, digest?: 'daily' | 'weekly',
): RenderedMail {
  const t = MAIL_TEXTS[language];
  const kinds = [...new Set(items.map((n) => MAIL_KIND_OF[n.kind]))];
  const kind: MailKind = digest ? 'digest' : kinds.length === 1 ? kinds[0] : (kinds.find((k) => k === 'watching') ?? kinds[0]);
  const subject = digest ? t.digestSubject(items.length, digest) : items.length === 1 ? lineOf(items[0], language) : t.manySubject(items.length);
  const groups = new Map<string, NotificationView[]>();
  for (const n of items) {
    const key = n.questionId === null ? `n${n.id}` : `q${n.questionId}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const text: string[] = [];
  const html: string[] = [];
  for (const group of groups.values()) {
    const title = String(group[0].data.questionTitle ?? '');
    if (group.length > 1) {
      text.push(t.inThread(group.length, title));
      html.push(`<h3>${escapeHtml(t.inThread(group.length, title))}</h3>`);
    }
    html.push('<ul>');
    for (const n of group) {
      const url = links.link(n.link);
      text.push(`- ${lineOf(n, language)}\n  ${url}`);
      html.push(`<li>${escapeHtml(lineOf(n, language))} — <a href="${escapeHtml(url)}">${escapeHtml(t.open)}</a></li>`);
    }
    html.push('</ul>');
    text.push('');
  }
  const unsubscribe = links.unsubscribePage(kind);
  const preferences = links.link('/account/notifications');
  text.push('--', t.why, `${t.unsubscribeKind(t.mailKind[kind])}: ${unsubscribe}`, `${t.preferences}: ${preferences}`);
  html.push(
    `<hr><p style="color:#555;font-size:12px">${escapeHtml(t.why)}<br>`
      + `<a href="${escapeHtml(unsubscribe)}">${escapeHtml(t.unsubscribeKind(t.mailKind[kind]))}</a> · `
      + `<a href="${escapeHtml(preferences)}">${escapeHtml(t.preferences)}</a></p>`,
  );
  return {
    subject,
    kind,
    text: text.join('\n'),
    html: `<!doctype html><html lang="${language}"><body>${html.join('\n')}</body></html>`,
  };
}
