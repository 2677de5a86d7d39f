import type { Language } from '../auth/account.entity.js';

/** A mail's words, per language (members read mail in the language of their account). */
export interface MailTexts {
  kind: Record<string, (who: string, where: string) => string>;
  someone: string;
  manySubject: (n: number) => string;
  digestSubject: (n: number, period: 'daily' | 'weekly') => string;
  inThread: (n: number, title: string) => string;
  open: string;
  why: string;
  unsubscribeKind: (what: string) => string;
  preferences: string;
  mailKind: Record<string, string>;
  reason: (r: string) => string;
}

const en: MailTexts = {
  kind: {
    reply_to_reply: (who, where) => `${who} replied to you in “${where}”`,
    reply_to_question: (who, where) => `${who} answered your question “${where}”`,
    mention: (who, where) => `${who} mentioned you in “${where}”`,
    watched_reply: (who, where) => `${who} replied in “${where}”`,
    watched_question: (_who, where) => `New question: “${where}”`,
    reply_featured: (_who, where) => `A moderator featured your reply in “${where}”`,
    reply_hidden: (_who, where) => `A moderator hid your reply in “${where}”`,
    reply_approved: (_who, where) => `Your reply in “${where}” was approved`,
    flag_resolved: (_who, where) => `Your flag in “${where}” was reviewed`,
    invitation_accepted: (who) => `${who} accepted your invitation`,
    live_question_handed_over: (_who, where) => `Your live question is now a forum thread: “${where}”`,
    moderation_queue: () => 'New items wait in your moderation queue',
  },
  someone: 'Someone',
  manySubject: (n) => `${n} new notifications on Agora`,
  digestSubject: (n, period) => `Your ${period} Agora digest: ${n} new`,
  inThread: (n, title) => `${n} new in “${title}”`,
  open: 'Open',
  why: 'You get this mail because of your notification settings on Agora.',
  unsubscribeKind: (what) => `Stop mails about ${what}`,
  preferences: 'Change your notification settings',
  mailKind: { replies: 'replies to you', mentions: 'mentions', watching: 'threads and forums you watch', moderation: 'moderators’ decisions', forum: 'your forums', digest: 'digests' },
  reason: (r) => `Reason: ${r}`,
};

const es: MailTexts = {
  kind: {
    reply_to_reply: (who, where) => `${who} te respondió en «${where}»`,
    reply_to_question: (who, where) => `${who} respondió a tu pregunta «${where}»`,
    mention: (who, where) => `${who} te mencionó en «${where}»`,
    watched_reply: (who, where) => `${who} respondió en «${where}»`,
    watched_question: (_who, where) => `Nueva pregunta: «${where}»`,
    reply_featured: (_who, where) => `Un moderador destacó tu respuesta en «${where}»`,
    reply_hidden: (_who, where) => `Un moderador ocultó tu respuesta en «${where}»`,
    reply_approved: (_who, where) => `Tu respuesta en «${where}» fue aprobada`,
    flag_resolved: (_who, where) => `Tu denuncia en «${where}» fue revisada`,
    invitation_accepted: (who) => `${who} aceptó tu invitación`,
    live_question_handed_over: (_who, where) => `Tu pregunta en directo es ahora un hilo del foro: «${where}»`,
    moderation_queue: () => 'Hay elementos nuevos en tu cola de moderación',
  },
  someone: 'Alguien',
  manySubject: (n) => `${n} notificaciones nuevas en Agora`,
  digestSubject: (n, period) => `Tu resumen ${period === 'daily' ? 'diario' : 'semanal'} de Agora: ${n} novedades`,
  inThread: (n, title) => `${n} novedades en «${title}»`,
  open: 'Abrir',
  why: 'Recibes este correo por tu configuración de notificaciones en Agora.',
  unsubscribeKind: (what) => `No recibir más correos sobre ${what}`,
  preferences: 'Cambiar la configuración de notificaciones',
  mailKind: { replies: 'respuestas a ti', mentions: 'menciones', watching: 'hilos y foros que sigues', moderation: 'decisiones de moderación', forum: 'tus foros', digest: 'resúmenes' },
  reason: (r) => `Motivo: ${r}`,
};

const fr: MailTexts = {
  kind: {
    reply_to_reply: (who, where) => `${who} vous a répondu dans « ${where} »`,
    reply_to_question: (who, where) => `${who} a répondu à votre question « ${where} »`,
    mention: (who, where) => `${who} vous a mentionné dans « ${where} »`,
    watched_reply: (who, where) => `${who} a répondu dans « ${where} »`,
    watched_question: (_who, where) => `Nouvelle question : « ${where} »`,
    reply_featured: (_who, where) => `Un modérateur a mis en avant votre réponse dans « ${where} »`,
    reply_hidden: (_who, where) => `Un modérateur a masqué votre réponse dans « ${where} »`,
    reply_approved: (_who, where) => `Votre réponse dans « ${where} » a été approuvée`,
    flag_resolved: (_who, where) => `Votre signalement dans « ${where} » a été examiné`,
    invitation_accepted: (who) => `${who} a accepté votre invitation`,
    live_question_handed_over: (_who, where) => `Votre question en direct est maintenant un fil du forum : « ${where} »`,
    moderation_queue: () => 'Du nouveau attend dans votre file de modération',
  },
  someone: 'Quelqu’un',
  manySubject: (n) => `${n} nouvelles notifications sur Agora`,
  digestSubject: (n, period) => `Votre résumé ${period === 'daily' ? 'quotidien' : 'hebdomadaire'} d’Agora : ${n} nouveautés`,
  inThread: (n, title) => `${n} nouveautés dans « ${title} »`,
  open: 'Ouvrir',
  why: 'Vous recevez ce courriel en raison de vos réglages de notification sur Agora.',
  unsubscribeKind: (what) => `Ne plus recevoir de courriels sur ${what}`,
  preferences: 'Modifier vos réglages de notification',
  mailKind: { replies: 'les réponses à vos messages', mentions: 'les mentions', watching: 'les fils et forums suivis', moderation: 'les décisions de modération', forum: 'vos forums', digest: 'les résumés' },
  reason: (r) => `Motif : ${r}`,
};

export const MAIL_TEXTS: Record<Language, MailTexts> = { en, es, fr };
