import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { SearchQuery } from './dto/search.query.js';
import { SearchResultView } from './dto/search.views.js';
import { SearchService } from './search.service.js';

@ApiTags('search')
@Controller('search')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get()
  @ApiOperation({ summary: 'Search sessions, forums, questions, replies and live questions in en/es/fr; grouped by kind, ranked by relevance and recency' })
  @ApiOkResponse({ type: SearchResultView })
  @ApiBadRequestResponse({ description: '`validation_failed`, naming the field.' })
  search(@CurrentActor() actor: MaybeActor, @Query() query: SearchQuery): Promise<SearchResultView> {
    return this.searchService.search(actor, query);
  }
}
