import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { ListSessionsQuery, SessionFiltersQuery } from './dto/session-filters.query.js';
import { CreateSessionDto, UpdateSessionDto } from './dto/session-input.dto.js';
import { SessionDetailView, SessionFacets, SessionPage } from './dto/session.view.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: 'The session catalogue, filtered, newest first; keyset-paginated with `cursor`' })
  @ApiOkResponse({ type: SessionPage })
  list(@CurrentActor() actor: MaybeActor, @Query() query: ListSessionsQuery) {
    return this.sessions.list(actor, query);
  }

  @Get('facets')
  @ApiOperation({ summary: 'Topics, organisers, cities, kinds, languages and states with session counts (each facet ignores its own filter)' })
  @ApiOkResponse({ type: SessionFacets })
  facets(@CurrentActor() actor: MaybeActor, @Query() query: SessionFiltersQuery) {
    return this.sessions.facets(actor, query);
  }

  @Get(':idOrSlug')
  @ApiOperation({ summary: 'One session with its dates, documents and the forums the caller may see' })
  @ApiParam({ name: 'idOrSlug', description: 'Numeric id or slug' })
  @ApiOkResponse({ type: SessionDetailView })
  get(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string) {
    return this.sessions.get(actor, idOrSlug);
  }

  @Post()
  @ApiOperation({ summary: 'Add a session to the catalogue (admins)' })
  @ApiCreatedResponse({ type: SessionDetailView })
  create(@CurrentActor() actor: MaybeActor, @Body() dto: CreateSessionDto) {
    return this.sessions.create(actor, dto);
  }

  @Patch(':idOrSlug')
  @ApiOperation({ summary: 'Change a session, including its state scheduled / live / ended (admins)' })
  @ApiParam({ name: 'idOrSlug', description: 'Numeric id or slug' })
  @ApiOkResponse({ type: SessionDetailView })
  update(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Body() dto: UpdateSessionDto) {
    return this.sessions.update(actor, idOrSlug, dto);
  }
}
