import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { signedInId } from './signed-in.js';
import { notFound } from '../common/app-exception.js';
import { findQuestionState } from '../discussions/reply-queries.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import type { FollowingView } from './dto/notification.views.js';
import { levelsOf, setLevel, type FollowLevel } from './following.js';

const WHY = 'Sign in to follow forums and threads.';

/** A member's following of forums and threads: watching, normal or muted. Anyone who can read may follow. */
@Injectable()
export class FollowingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
  ) {}

  private async target(actor: MaybeActor, forumId: number | null, questionId: number | null): Promise<{ forumId: number; questionId: number | null }> {
    if (questionId !== null) {
      const question = await findQuestionState(this.dataSource.manager, questionId);
      if (!question || !(await this.forumAccess.describe(actor, question.forum_id))) throw notFound('The question', 'question_not_found');
      return { forumId: question.forum_id, questionId };
    }
    await this.forumAccess.readable(actor, forumId!);
    return { forumId: forumId!, questionId: null };
  }

  async get(actor: MaybeActor, where: { forumId?: number; questionId?: number }): Promise<FollowingView> {
    const accountId = signedInId(actor, WHY);
    const t = await this.target(actor, where.forumId ?? null, where.questionId ?? null);
    const levels = await levelsOf(this.dataSource.manager, accountId, t.forumId, t.questionId);
    const [level, source]: [FollowLevel, FollowingView['source']] = levels.question
      ? [levels.question, 'question']
      : levels.forum
        ? [levels.forum, 'forum']
        : ['normal', 'default'];
    return { ...t, level, source };
  }

  async set(actor: MaybeActor, where: { forumId?: number; questionId?: number }, level: FollowLevel): Promise<FollowingView> {
    const accountId = signedInId(actor, WHY);
    const t = await this.target(actor, where.forumId ?? null, where.questionId ?? null);
    await setLevel(this.dataSource.manager, accountId, t.forumId, t.questionId, level);
    return this.get(actor, where);
  }
}
