import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { IntIdPipe, UuidPipe } from '../common/id.pipe.js';
import { ListMembersQuery, MemberPage, MemberView, MembershipView, SetMemberDto } from './dto/membership.dto.js';
import { MembershipsService } from './memberships.service.js';

@ApiTags('forum members')
@Controller('forums/:forumId')
export class MembershipsController {
  constructor(private readonly memberships: MembershipsService) {}

  @Get('members')
  @ApiOperation({ summary: 'Who is in the forum: names and roles for members; emails, dates and removed people for moderators' })
  @ApiOkResponse({ type: MemberPage })
  list(@CurrentActor() actor: MaybeActor, @Param('forumId', new IntIdPipe('forumId')) forumId: number, @Query() query: ListMembersQuery) {
    return this.memberships.list(actor, forumId, query);
  }

  @Put('members/:accountId')
  @ApiOperation({ summary: 'Add a person as member or moderator, change their role, or re-admit them (moderators; only admins demote another moderator)' })
  @ApiOkResponse({ type: MemberView })
  set(
    @CurrentActor() actor: MaybeActor,
    @Param('forumId', new IntIdPipe('forumId')) forumId: number,
    @Param('accountId', new UuidPipe('accountId')) accountId: string,
    @Body() dto: SetMemberDto,
  ) {
    return this.memberships.set(actor, forumId, accountId, dto);
  }

  @Delete('members/:accountId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a person from the forum at once (moderators; only admins remove a moderator), or leave it (your own id)' })
  @ApiNoContentResponse()
  remove(
    @CurrentActor() actor: MaybeActor,
    @Param('forumId', new IntIdPipe('forumId')) forumId: number,
    @Param('accountId', new UuidPipe('accountId')) accountId: string,
  ) {
    return this.memberships.remove(actor, forumId, accountId);
  }

  @Post('join')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Join a public or members-only forum (signed in; posting joins implicitly too)' })
  @ApiOkResponse({ type: MembershipView })
  join(@CurrentActor() actor: MaybeActor, @Param('forumId', new IntIdPipe('forumId')) forumId: number) {
    return this.memberships.join(actor, forumId);
  }
}
