import { Global, Module } from '@nestjs/common';
import { ForumAccessService } from './forum-access.service.js';

// Global: every feature that touches a forum asks ForumAccessService first.
@Global()
@Module({
  providers: [ForumAccessService],
  exports: [ForumAccessService],
})
export class ForumsModule {}
