import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { PersonIdParams, PersonRepliesPage, PersonRepliesQuery, PersonView } from './dto/people.dto.js';
import { PeopleService } from './people.service.js';

@ApiTags('people')
@Controller('people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get(':id')
  @ApiOperation({ summary: "A member's profile, with their replies and questions the caller may read" })
  @ApiOkResponse({ type: PersonView })
  @ApiNotFoundResponse({ description: '`person_not_found`.' })
  profile(@CurrentActor() actor: MaybeActor, @Param() params: PersonIdParams): Promise<PersonView> {
    return this.people.profile(actor, params.id);
  }

  @Get(':id/replies')
  @ApiOperation({ summary: "More of a member's replies the caller may read, newest first (keyset-paginated)" })
  @ApiOkResponse({ type: PersonRepliesPage })
  replies(@CurrentActor() actor: MaybeActor, @Param() params: PersonIdParams, @Query() query: PersonRepliesQuery): Promise<PersonRepliesPage> {
    return this.people.replies(actor, params.id, query.cursor);
  }

  @Get(':id/avatar')
  @ApiOperation({ summary: "A member's avatar (WebP, 256 px square); its address changes with the image, so it is cached for good" })
  @ApiProduces('image/webp')
  @ApiOkResponse({ description: 'The image.', content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse({ description: '`avatar_not_found`: no avatar, show initials.' })
  @Header('Cache-Control', 'public, max-age=31536000, immutable')
  @Header('X-Content-Type-Options', 'nosniff')
  async avatar(@Param() params: PersonIdParams): Promise<StreamableFile> {
    return new StreamableFile(await this.people.avatar(params.id), { type: 'image/webp' });
  }
}
