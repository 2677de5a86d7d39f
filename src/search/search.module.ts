import { Module } from '@nestjs/common';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';
import { ForumsModule } from '../forums/forums.module.js';

/** The search read side: it owns no table; each searchable row keeps its own generated search_vector. */
@Module({
  imports: [ForumsModule],
  controllers: [SearchController],
  providers: [SearchService],
})
export class SearchModule {}
