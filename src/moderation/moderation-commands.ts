import { Injectable } from '@nestjs/common';
import type { MaybeActor } from '../auth/actor.js';
import { ActionLimits } from '../limits/action-limits.js';
import type { CreateFlagDto } from './dto/flag-input.dto.js';
import type { ActResult, MyFlagView } from './dto/moderation.views.js';
import { FlagsService } from './flags.service.js';
import { ModerationService } from './moderation.service.js';

/**
 * Flagging and moderators' acts, one command per action for HTTP and the
 * socket alike: the per-person limit, then the service (which validates the
 * act, checks the caller may do it, and writes). `anonymousKey` counts a
 * caller without an account (a socket that has not signed in, by its id);
 * over HTTP such a caller is refused by the service and not counted.
 */
@Injectable()
export class ModerationCommands {
  constructor(
    private readonly moderation: ModerationService,
    private readonly flags: FlagsService,
    private readonly limits: ActionLimits,
  ) {}

  async act(actor: MaybeActor, command: unknown, anonymousKey?: string): Promise<ActResult> {
    await this.count('moderate', actor, anonymousKey);
    return this.moderation.act(actor, command);
  }

  async flag(actor: MaybeActor, replyId: string, dto: CreateFlagDto, anonymousKey?: string): Promise<MyFlagView> {
    await this.count('flag', actor, anonymousKey);
    return this.flags.flag(actor, replyId, dto);
  }

  private async count(action: 'moderate' | 'flag', actor: MaybeActor, anonymousKey?: string): Promise<void> {
    const who = actor?.accountId ?? anonymousKey;
    if (who) await this.limits.take(action, who);
  }
}
