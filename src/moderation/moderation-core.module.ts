import { Module } from '@nestjs/common';
import { ModerationActs } from './moderation-acts.js';
import { EventsModule } from '../events/events.module.js';
import { ForumsModule } from '../forums/forums.module.js';

/**
 * The moderation record and the one helper acts run through, on their own so
 * that discussions (whose moderator edits, deletions and question changes are
 * acts too) can use them without depending on the whole moderation feature.
 */
@Module({
  imports: [ForumsModule, EventsModule],
  providers: [ModerationActs],
  exports: [ModerationActs],
})
export class ModerationCoreModule {}
