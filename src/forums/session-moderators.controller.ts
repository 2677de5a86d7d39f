import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { UuidPipe } from '../common/id.pipe.js';
import { SessionModeratorView } from './dto/session-moderator.view.js';
import { SessionModeratorsService } from './session-moderators.service.js';

@ApiTags('sessions')
@Controller('sessions/:idOrSlug/moderators')
export class SessionModeratorsController {
  constructor(private readonly moderators: SessionModeratorsService) {}

  @Get()
  @ApiOperation({ summary: "The session's organisers, who moderate all its forums" })
  @ApiParam({ name: 'idOrSlug', description: 'Session id or slug' })
  @ApiOkResponse({ type: [SessionModeratorView] })
  list(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string) {
    return this.moderators.list(actor, idOrSlug);
  }

  @Put(':accountId')
  @ApiOperation({ summary: 'Make a person moderator of every forum of the session, present and future (admins)' })
  @ApiParam({ name: 'idOrSlug', description: 'Session id or slug' })
  @ApiOkResponse({ type: [SessionModeratorView] })
  add(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Param('accountId', new UuidPipe('accountId')) accountId: string) {
    return this.moderators.add(actor, idOrSlug, accountId);
  }

  @Delete(':accountId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "End a person's role as the session's moderator; they stay members of its forums (admins)" })
  @ApiParam({ name: 'idOrSlug', description: 'Session id or slug' })
  @ApiNoContentResponse()
  remove(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Param('accountId', new UuidPipe('accountId')) accountId: string) {
    return this.moderators.remove(actor, idOrSlug, accountId);
  }
}
