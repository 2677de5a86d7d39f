/**
 * The shapes the server sends inside events and acks, as plain data. The
 * server's own views (classes with Swagger decorators, Date fields) are
 * checked against these where events are recorded and acks returned; the
 * client reads them through `Wire<…>` (times arrive as ISO strings).
 */

/** A time: a Date on the server, an ISO string once sent. */
export type Time = Date | string;

/** True when A and B are the same union (a compile-time check: `const x: Same<A, B> = true`). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

/** What JSON makes of a value the server sends: Dates arrive as ISO strings. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type ReplyState = 'visible' | 'pending' | 'hidden' | 'deleted' | 'rejected';
export type QuestionState = 'published' | 'proposed' | 'rejected';
export type ForumVisibility = 'public' | 'members' | 'invite_only';
export type ForumState = 'open' | 'closed' | 'archived';

/** Who wrote something, as readers see them. */
export interface AuthorView {
  id: string;
  displayName: string;
  organisation?: string | null;
  avatarUrl?: string | null;
}

/** A reply as events carry it: viewer-neutral (no viewerVoted, no markdown source); a deleted or hidden one without its text. */
export interface ReplyView {
  id: string;
  questionId: number;
  forumId: number;
  parentId: string | null;
  depth: number;
  author: AuthorView;
  bodyHtml: string | null;
  bodySource?: string | null;
  state: ReplyState;
  stateReason: string | null;
  featured: boolean;
  editedByModerator: boolean;
  voteCount: number;
  childCount: number;
  createdAt: Time;
  editedAt: Time | null;
  /** Acks and HTTP only (events are viewer-neutral). */
  viewerVoted?: boolean;
}

export interface QuestionView {
  id: number;
  forumId: number;
  position: number;
  title: string;
  bodyHtml: string;
  author: AuthorView | null;
  /** Absent from a question handed over from a live Q&A (always published). */
  state?: QuestionState;
  stateReason?: string | null;
  pinned: boolean;
  locked: boolean;
  closed: boolean;
  replyCount: number;
  mergedIntoId: number | null;
  slowModeSeconds: number | null;
  synthesis: { html: string; source?: string; author: AuthorView | null; updatedAt: Time } | null;
  featuredReplyIds: string[];
  liveScore: number | null;
  liveQuestion: { id: number; sessionId: number } | null;
  createdAt: Time;
  updatedAt: Time;
}

/** One row of the moderation record. */
export interface ModerationActionView {
  id: string;
  forumId: number;
  act: string;
  actor: AuthorView | null;
  targetKind: 'reply' | 'question' | 'forum' | 'account';
  targetId: string;
  questionId: number | null;
  targetAuthor: AuthorView | null;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: Time;
}

/** A flag as the member who raised it sees it. */
export interface FlagView {
  id: string;
  replyId: string;
  questionId: number;
  forumId: number;
  reason: 'spam' | 'off_topic' | 'abusive' | 'other';
  note: string | null;
  state: 'open' | 'upheld' | 'dismissed';
  createdAt: Time;
  resolvedAt: Time | null;
}

export interface ForumModerationSettingsView {
  forumId: number;
  premoderation: boolean;
  premoderateFirstReplies: number;
  flagThreshold: number;
  flagThresholdIsDefault: boolean;
  slowModeSeconds: number | null;
  maxRepliesPerHour: number | null;
  memberQuestions: boolean;
}

export interface SilenceView {
  forumId: number;
  account: AuthorView;
  until: Time;
  reason: string | null;
  by: AuthorView | null;
  createdAt: Time;
}

/** What a moderation act answers (which things depends on the act). */
export interface ActResultView {
  act: string;
  reply?: ReplyView;
  question?: QuestionView;
  source?: QuestionView;
  fromQuestion?: QuestionView;
  toQuestion?: QuestionView;
  movedReplyIds?: string[];
  questions?: { id: number; position: number }[];
  settings?: ForumModerationSettingsView;
  silence?: SilenceView | null;
  resolvedFlags?: number;
  actions: ModerationActionView[];
}

// ---- live Q&A ----------------------------------------------------------------------

export type LiveQuestionState = 'pending' | 'approved' | 'answered' | 'dismissed' | 'archived' | 'merged' | 'withdrawn';

export interface AskerView {
  id: string;
  displayName: string;
  guest: boolean;
}

/** `T`: how times are held (the server's views use Date; see Time). */
export interface LiveQuestionView<T extends Time = Time> {
  id: number;
  sessionId: number;
  /** Null in events once the question was withdrawn (and, for attendees, dismissed): the log keeps no text of it. */
  body: string | null;
  state: LiveQuestionState;
  anonymous: boolean;
  /** Null when anonymous, except for moderators and the asker (HTTP); event payloads never name anonymous askers. */
  asker: AskerView | null;
  voteCount: number;
  highlighted: boolean;
  mergedIntoId: number | null;
  mergedCount: number;
  dismissReason: string | null;
  answeredAt: T | null;
  answeredOffset: string | null;
  editedAt: T | null;
  editedByModerator: boolean;
  carriedOver: { forumId: number; questionId: number } | null;
  createdAt: T;
  updatedAt: T;
  /** HTTP and acks only. */
  viewerAsked?: boolean;
  viewerVoted?: boolean;
}

export interface QaSettingsView<T extends Time = Time> {
  sessionId: number;
  sessionSlug: string;
  sessionTitle: string;
  sessionState: 'scheduled' | 'live' | 'ended';
  state: 'open' | 'closed' | 'not_open';
  premoderation: boolean;
  allowGuests: boolean;
  slowModeSeconds: number;
  startedAt: T | null;
  highlightedQuestionId: number | null;
  highlighted: LiveQuestionView<T> | null;
  handedOverAt: T | null;
  handOverForum: { id: number; slug: string; title: string } | null;
  /** The poll on the presenter screen (src/live-qa/polls). */
  onScreenPollId: number | null;
  /** The presenter screen's short join code (`/j/CODE`), once a moderator made one. */
  joinCode: string | null;
}

export interface QaVoteView {
  questionId: number;
  voteCount: number;
  viewerVoted: boolean;
  asOf: string;
}

export type PollKind = 'single' | 'multiple' | 'rating' | 'word_cloud' | 'open_text';
export type PollState = 'draft' | 'open' | 'closed';

export interface PollView<T extends Time = Time> {
  id: number;
  sessionId: number;
  kind: PollKind;
  prompt: string;
  options: string[];
  state: PollState;
  resultsHidden: boolean;
  liveQuestionId: number | null;
  onScreen: boolean;
  launchedAt: T | null;
  closedAt: T | null;
  createdAt: T;
  /** Forum question that carried the results at the hand-over. */
  handedOverQuestionId: number | null;
}

/**
 * A poll's results at `asOf` (database time of the one read): a screen
 * keeps, per poll, the results with the newest asOf. Choice polls count
 * per option (a multiple-choice answer counts once for each option it
 * names); ratings per value 1–5 with the average; word clouds per folded
 * entry (shown as its most common spelling), without removed entries; open
 * text lists the answers (attendees: approved ones; moderators: all, with
 * their review).
 */
export interface PollResultsView {
  pollId: number;
  asOf: string;
  kind: PollKind;
  total: number;
  options?: { index: number; label: string; count: number }[];
  ratings?: { value: number; count: number }[];
  average?: number | null;
  words?: { key: string; word: string; count: number }[];
  texts?: { answerId: number; text: string; review?: 'pending' | 'approved' | 'rejected' }[];
}

export interface PollAnswerView<T extends Time = Time> {
  pollId: number;
  choices: number[] | null;
  rating: number | null;
  text: string | null;
  review: 'pending' | 'approved' | 'rejected' | null;
  updatedAt: T;
}

/** A poll as one caller sees it: its results when they may see them, and their own answer. */
export interface PollReadView<T extends Time = Time> extends PollView<T> {
  results: PollResultsView | null;
  viewerAnswer: PollAnswerView<T> | null;
}
