// Every migration, in order. Listed explicitly (not globbed) so the same list
// works from the compiled app, the CLI and the ESM test runner.
import { ForumCore1795586000000 } from './1795586000000-ForumCore.js';
import { LoginSession1795586650420 } from './1795586650420-LoginSession.js';
import { ForumInvitations1795586708030 } from './1795586708030-ForumInvitations.js';
import { ForumEvents1795586883885 } from './1795586883885-ForumEvents.js';
import { DiscussionBodyLimits1795587027131 } from './1795587027131-DiscussionBodyLimits.js';
import { SignInAttemptOutcome1795589184002 } from './1795589184002-SignInAttemptOutcome.js';
import { InvitationTokenAlways1795591950408 } from './1795591950408-InvitationTokenAlways.js';
import { Moderation1795600731904 } from './1795600731904-Moderation.js';
import { LiveQa1795603316000 } from './1795603316000-LiveQa.js';
import { ReplyWithheld1795610470000 } from './1795610470000-ReplyWithheld.js';
import { Notifications1796300000000 } from './1796300000000-Notifications.js';
import { Mail1796300000001 } from './1796300000001-Mail.js';
import { PasswordReset1796300000002 } from './1796300000002-PasswordReset.js';
import { NotificationCursor1796300000003 } from './1796300000003-NotificationCursor.js';
import { EmailVerification1796300000004 } from './1796300000004-EmailVerification.js';
import { ModerationQueueNotification1796300000005 } from './1796300000005-ModerationQueueNotification.js';
import { Search1796400000000 } from './1796400000000-Search.js';
import { AccountProfile1796400000001 } from './1796400000001-AccountProfile.js';
import { LivePolls1796500000000 } from './1796500000000-LivePolls.js';
import { MemberQuestions1796600000000 } from './1796600000000-MemberQuestions.js';
import { InvitationAcceptanceTime1796720000000 } from './1796720000000-InvitationAcceptanceTime.js';
import { NotificationDeadLetter1796720000001 } from './1796720000001-NotificationDeadLetter.js';
import { ReplySearchByForum1796730000000 } from './1796730000000-ReplySearchByForum.js';
import { AuditRecord1796740000000 } from './1796740000000-AuditRecord.js';

export const MIGRATIONS = [ForumCore1795586000000, LoginSession1795586650420, ForumInvitations1795586708030, ForumEvents1795586883885, DiscussionBodyLimits1795587027131, SignInAttemptOutcome1795589184002, InvitationTokenAlways1795591950408, Moderation1795600731904, LiveQa1795603316000, ReplyWithheld1795610470000, Notifications1796300000000, Mail1796300000001, PasswordReset1796300000002, NotificationCursor1796300000003, EmailVerification1796300000004, ModerationQueueNotification1796300000005, Search1796400000000, AccountProfile1796400000001, LivePolls1796500000000, MemberQuestions1796600000000, InvitationAcceptanceTime1796720000000, NotificationDeadLetter1796720000001, ReplySearchByForum1796730000000, AuditRecord1796740000000];
