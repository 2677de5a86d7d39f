import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { IntIdPipe } from '../common/id.pipe.js';
import { CreateForumDto, ListForumsQuery, UpdateForumDto } from './dto/forum-input.dto.js';
import { ForumPage, ForumSummaryView, ForumView } from './dto/forum.view.js';
import { ForumsService } from './forums.service.js';

@ApiTags('forums')
@Controller()
export class ForumsController {
  constructor(private readonly forums: ForumsService) {}

  @Get('sessions/:idOrSlug/forums')
  @ApiOperation({ summary: 'The forums of a session that the caller may see' })
  @ApiParam({ name: 'idOrSlug', description: 'Session id or slug' })
  @ApiOkResponse({ type: [ForumSummaryView] })
  listForSession(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string) {
    return this.forums.listForSession(actor, idOrSlug);
  }

  @Post('sessions/:idOrSlug/forums')
  @ApiOperation({ summary: "Add a forum to a session (admins, the session's moderators, moderators of its other forums)" })
  @ApiParam({ name: 'idOrSlug', description: 'Session id or slug' })
  @ApiCreatedResponse({ type: ForumView })
  create(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Body() dto: CreateForumDto) {
    return this.forums.create(actor, idOrSlug, dto);
  }

  @Get('forums')
  @ApiOperation({ summary: 'Every forum the caller may see; keyset-paginated' })
  @ApiOkResponse({ type: ForumPage })
  list(@CurrentActor() actor: MaybeActor, @Query() query: ListForumsQuery) {
    return this.forums.list(actor, query);
  }

  @Get('forums/:forumId')
  @ApiOperation({ summary: "A forum as the caller sees it: counts, and the caller's role and whether they can post (404 if they can't see it)" })
  @ApiOkResponse({ type: ForumView })
  get(@CurrentActor() actor: MaybeActor, @Param('forumId', new IntIdPipe('forumId')) forumId: number) {
    return this.forums.get(actor, forumId);
  }

  @Patch('forums/:forumId')
  @ApiOperation({ summary: "Change a forum's title, slug, description, visibility or state (its moderators and admins)" })
  @ApiOkResponse({ type: ForumView })
  update(@CurrentActor() actor: MaybeActor, @Param('forumId', new IntIdPipe('forumId')) forumId: number, @Body() dto: UpdateForumDto) {
    return this.forums.update(actor, forumId, dto);
  }
}
