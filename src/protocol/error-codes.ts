/**
 * Every error code the API and the sockets answer with, one union per
 * feature (issue 11), shared with the client. AppException takes only these,
 * so a new refusal is named here first and the client's `switch` over codes
 * is checked by the compiler.
 */

/** Any request: malformed input, missing sign-in, limits, the server's own trouble. */
export const COMMON_ERRORS = [
  'validation_failed', 'bad_request', 'unauthenticated', 'forbidden', 'not_found', 'method_not_allowed', 'conflict',
  'payload_too_large', 'unsupported_media_type', 'rate_limited', 'database_unavailable', 'internal_error', 'shutting_down',
  'unknown_message', 'cross_site_request', 'error',
] as const;

export const AUTH_ERRORS = [
  'avatar_invalid', 'email_taken', 'guest_not_allowed', 'invalid_credentials', 'invalid_reset_token', 'invalid_verification_token',
  'login_session_not_found', 'wrong_password',
] as const;

export const SESSION_ERRORS = ['admin_only', 'session_not_found', 'session_slug_taken'] as const;

export const FORUM_ERRORS = [
  'forum_not_found', 'forum_slug_taken', 'forum_closed', 'forum_archived', 'account_not_found', 'already_member', 'email_not_verified',
  'invitation_for_someone_else', 'invitation_not_found', 'invitation_used_up', 'invitation_revoked', 'invitation_expired', 'moderator_protected', 'not_member', 'not_moderator',
  'not_session_moderator', 'removed', 'not_invited',
] as const;

export const DISCUSSION_ERRORS = [
  'question_not_found', 'reply_not_found', 'client_id_reused', 'empty_update', 'invalid_parent', 'member_questions_off', 'not_proposed',
  'not_reply_author', 'own_reply', 'parent_deleted', 'parent_moved', 'parent_not_approved', 'question_closed', 'question_locked',
  'question_merged', 'question_not_published', 'reply_deleted', 'reply_hidden', 'reply_not_visible', 'thread_too_deep',
] as const;

export const MODERATION_ERRORS = [
  'already_flagged', 'cannot_silence_moderator', 'merge_into_self', 'no_open_flags', 'not_hidden', 'not_pending', 'same_question',
  'silenced', 'slow_mode',
] as const;

export const LIVE_QA_ERRORS = [
  'already_signed_in', 'guests_not_allowed', 'invalid_transition', 'join_code_not_found', 'live_question_not_found', 'merge_target_invalid',
  'not_asker', 'not_editable', 'not_qa_moderator', 'not_votable', 'poll_answer_not_found', 'poll_not_found', 'poll_not_open', 'qa_not_open',
] as const;

/** Following threads over sockets and notifications. */
export const REALTIME_ERRORS = ['cannot_post', 'not_subscribed', 'too_many_subscriptions'] as const;

export const MAIL_ERRORS = ['not_admin', 'unsubscribe_link_not_found'] as const;

export const PEOPLE_ERRORS = ['avatar_not_found', 'person_not_found'] as const;

export type CommonErrorCode = (typeof COMMON_ERRORS)[number];
export type AuthErrorCode = (typeof AUTH_ERRORS)[number];
export type SessionErrorCode = (typeof SESSION_ERRORS)[number];
export type ForumErrorCode = (typeof FORUM_ERRORS)[number];
export type DiscussionErrorCode = (typeof DISCUSSION_ERRORS)[number];
export type ModerationErrorCode = (typeof MODERATION_ERRORS)[number];
export type LiveQaErrorCode = (typeof LIVE_QA_ERRORS)[number];
export type RealtimeErrorCode = (typeof REALTIME_ERRORS)[number];
export type MailErrorCode = (typeof MAIL_ERRORS)[number];
export type PeopleErrorCode = (typeof PEOPLE_ERRORS)[number];

export type ErrorCode =
  | CommonErrorCode
  | AuthErrorCode
  | SessionErrorCode
  | ForumErrorCode
  | DiscussionErrorCode
  | ModerationErrorCode
  | LiveQaErrorCode
  | RealtimeErrorCode
  | MailErrorCode
  | PeopleErrorCode;

/** All of them, for the API document's enum. */
export const ERROR_CODES: readonly ErrorCode[] = [
  ...COMMON_ERRORS, ...AUTH_ERRORS, ...SESSION_ERRORS, ...FORUM_ERRORS, ...DISCUSSION_ERRORS, ...MODERATION_ERRORS,
  ...LIVE_QA_ERRORS, ...REALTIME_ERRORS, ...MAIL_ERRORS, ...PEOPLE_ERRORS,
];
