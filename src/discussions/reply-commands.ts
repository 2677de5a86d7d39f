import { Injectable } from '@nestjs/common';
import type { MaybeActor } from '../auth/actor.js';
import { ActionLimits } from '../limits/action-limits.js';
import type { ReplyView, VoteResult } from './dto/discussion.views.js';
import { RepliesService } from './replies.service.js';

/** A reply as either transport received it, already validated against its message class. */
export interface ReplyInput {
  body: string;
  parentId?: string | null;
  /** The sender's id for the write, so a retry returns the reply stored the first time. */
  clientId?: string;
}

/**
 * The members' writes on replies, one command per action: `POST
 * /api/questions/:id/replies` and the socket's `reply.create` both call
 * create(), so the per-person limit, the access checks and the write are the
 * same rule on either transport. Anonymous callers are not counted: the
 * service refuses them (401) before anything is written.
 */
@Injectable()
export class ReplyCommands {
  constructor(
    private readonly replies: RepliesService,
    private readonly limits: ActionLimits,
  ) {}

  async create(actor: MaybeActor, questionId: number, input: ReplyInput): Promise<ReplyView> {
    if (actor) await this.limits.take('reply', actor.accountId);
    return this.replies.createReply(actor, questionId, { body: input.body, parentId: input.parentId }, { clientId: input.clientId });
  }

  /** Vote for a reply (`on`), or take the vote back; the vote limit counts both. */
  async vote(actor: MaybeActor, replyId: string, on: boolean): Promise<VoteResult> {
    if (actor) await this.limits.take('vote', actor.accountId);
    return on ? this.replies.vote(actor, replyId) : this.replies.unvote(actor, replyId);
  }
}
