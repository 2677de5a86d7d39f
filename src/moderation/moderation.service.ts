import { Injectable } from '@nestjs/common';
import type { MaybeActor } from '../auth/actor.js';
import { QuestionsService } from '../discussions/questions.service.js';
import { RepliesService } from '../discussions/replies.service.js';
import { parseActCommand, type ActCommand } from './dto/act-commands.js';
import type { ActResult } from './dto/moderation.views.js';
import { ForumRulesService } from './forum-rules.service.js';
import { QuestionActsService } from './question-acts.service.js';
import { ReplyActsService } from './reply-acts.service.js';

const QUESTION_FLAGS = {
  'question.pin': { pinned: true },
  'question.unpin': { pinned: false },
  'question.lock': { locked: true },
  'question.unlock': { locked: false },
  'question.close': { closed: true },
  'question.reopen': { closed: false },
} as const;

/**
 * Where every moderator's act arrives, from `POST /api/moderation/acts` and
 * the socket's `moderation.act` alike: the command is validated against its
 * act and handed to the service that does it (each checks the caller
 * moderates the forum, in its own transaction, and records the act).
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly replyActs: ReplyActsService,
    private readonly questionActs: QuestionActsService,
    private readonly forumRules: ForumRulesService,
    private readonly replies: RepliesService,
    private readonly questions: QuestionsService,
  ) {}

  async act(actor: MaybeActor, raw: unknown): Promise<ActResult> {
    return this.perform(actor, await parseActCommand(raw));
  }

  private async perform(actor: MaybeActor, cmd: ActCommand): Promise<ActResult> {
    switch (cmd.act) {
      case 'reply.hide': return this.replyActs.hide(actor, cmd);
      case 'reply.unhide': return this.replyActs.unhide(actor, cmd);
      case 'reply.feature': return this.replyActs.feature(actor, cmd, true);
      case 'reply.unfeature': return this.replyActs.feature(actor, cmd, false);
      case 'reply.approve': return this.replyActs.approve(actor, cmd);
      case 'reply.reject': return this.replyActs.reject(actor, cmd);
      case 'reply.move': return this.replyActs.move(actor, cmd);
      case 'flags.resolve': return this.replyActs.resolveFlags(actor, cmd);
      case 'reply.edit': {
        const { reply, actions } = await this.replies.changeText(actor, cmd.replyId, { body: cmd.body }, { reason: cmd.reason, asModerator: true });
        return { act: cmd.act, reply, actions };
      }
      case 'reply.delete': {
        const { reply, actions } = await this.replies.remove(actor, cmd.replyId, { reason: cmd.reason, asModerator: true });
        return { act: cmd.act, reply, actions };
      }
      case 'question.pin': case 'question.unpin': case 'question.lock': case 'question.unlock': case 'question.close': case 'question.reopen': {
        const { question, actions } = await this.questions.changeQuestion(actor, cmd.questionId, { ...QUESTION_FLAGS[cmd.act] }, cmd.reason);
        return { act: cmd.act, question, actions };
      }
      case 'question.reorder': {
        const { question, order, actions } = await this.questions.changeQuestion(actor, cmd.questionId, { position: cmd.position }, cmd.reason);
        return { act: cmd.act, question, ...(order ? { questions: order } : {}), actions };
      }
      case 'question.approve': case 'question.reject': return this.questionActs.decideProposal(actor, cmd);
      case 'question.merge': return this.questionActs.merge(actor, cmd);
      case 'question.synthesis': return this.questionActs.synthesis(actor, cmd);
      case 'question.slow_mode': return this.questionActs.slowMode(actor, cmd);
      case 'forum.settings': return this.forumRules.changeSettings(actor, cmd);
      case 'member.silence': return this.forumRules.silence(actor, cmd);
      case 'member.unsilence': return this.forumRules.unsilence(actor, cmd);
    }
  }
}
