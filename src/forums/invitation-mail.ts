import escapeHtml from 'escape-html';
import type { Language } from '../auth/account.entity.js';
import type { OutgoingMail } from '../mail/mail-transport.service.js';

const TEXTS: Record<Language, { subject: (forum: string) => string; body: (who: string, forum: string) => string; open: string }> = {
  en: { subject: (f) => `You are invited to “${f}” on Agora`, body: (w, f) => `${w} invites you to take part in the forum “${f}”.`, open: 'Open the invitation (it works once):' },
  es: { subject: (f) => `Te invitan a «${f}» en Agora`, body: (w, f) => `${w} te invita a participar en el foro «${f}».`, open: 'Abre la invitación (sirve una vez):' },
  fr: { subject: (f) => `Vous êtes invité·e à « ${f} » sur Agora`, body: (w, f) => `${w} vous invite à participer au forum « ${f} ».`, open: 'Ouvrez l’invitation (elle sert une fois) :' },
};

/** The mail of an invitation addressed by a moderator, in the recipient's language (their account's, else English). */
export function invitationMail(to: string, language: Language, inviter: string, forumTitle: string, link: string): OutgoingMail {
  const text = TEXTS[language] ?? TEXTS.en;
  const body = text.body(inviter, forumTitle);
  return {
    to, kind: 'invitation', subject: text.subject(forumTitle),
    text: `${body}\n\n${text.open}\n${link}`,
    html: `<!doctype html><html lang="${language}"><body><p>${escapeHtml(body)}</p><p>${escapeHtml(text.open)}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p></body></html>`,
  };
}
