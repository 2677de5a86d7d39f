import { Injectable } from '@nestjs/common';
import type { MaybeActor } from '../auth/actor.js';
import { ActionLimits } from '../limits/action-limits.js';
import type { VoteResult } from './live-qa.views.js';
import { LiveQuestionsService } from './live-questions.service.js';
import type { AnswerPollDto } from './polls/dto/poll-input.dto.js';
import { PollsService } from './polls/polls.service.js';

/**
 * The attendees' counted writes in a live Q&A, one command per action for
 * HTTP and the socket alike: voting on a question and answering a poll both
 * take from the per-person vote limit (shared with forum votes), then go to
 * the service, which checks the caller may do it. Asking has its own limits
 * (the session's asking rules and slow mode), kept by the service.
 */
@Injectable()
export class QaCommands {
  constructor(
    private readonly questions: LiveQuestionsService,
    private readonly polls: PollsService,
    private readonly limits: ActionLimits,
  ) {}

  async vote(actor: MaybeActor, questionId: number, on: boolean): Promise<VoteResult> {
    if (actor) await this.limits.take('vote', actor.accountId);
    return this.questions.vote(actor, questionId, on);
  }

  async answerPoll(actor: MaybeActor, pollId: number, dto: AnswerPollDto): ReturnType<PollsService['answer']> {
    if (actor) await this.limits.take('vote', actor.accountId);
    return this.polls.answer(actor, pollId, dto);
  }
}
