import { Account } from '../auth/account.entity.js';
import { LoginSession } from '../auth/login-session.entity.js';
import { Question } from '../discussions/question.entity.js';
import { ReplyRevision } from '../discussions/reply-revision.entity.js';
import { ReplyVote } from '../discussions/reply-vote.entity.js';
import { Reply } from '../discussions/reply.entity.js';
import { ForumMembership } from '../forums/forum-membership.entity.js';
import { Forum } from '../forums/forum.entity.js';
import { Invitation, InvitationAcceptance } from '../forums/invitation.entity.js';
import { SessionModerator } from '../forums/session-moderator.entity.js';
import { SessionDate } from '../sessions/session-date.entity.js';
import { SessionDocument } from '../sessions/session-document.entity.js';
import { Session } from '../sessions/session.entity.js';

export const ENTITIES = [
  Account, Session, SessionDate, SessionDocument, Forum, ForumMembership,
  Question, Reply, ReplyRevision, ReplyVote, LoginSession,
  Invitation, InvitationAcceptance, SessionModerator,
];
