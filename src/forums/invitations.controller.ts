import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { IntIdPipe } from '../common/id.pipe.js';
import {
  AcceptedInvitation, AcceptInvitationDto, CreatedInvitation, CreateInvitationDto, InvitationPage, InvitationView, ListInvitationsQuery, ReceivedInvitation,
} from './dto/invitation.dto.js';
import { InvitationsService } from './invitations.service.js';

@ApiTags('invitations')
@Controller()
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('forums/:forumId/invitations')
  @ApiOperation({ summary: 'Create an invitation link, open or addressed to one email (single use, only that account may accept); the token is returned this once (moderators)' })
  @ApiCreatedResponse({ type: CreatedInvitation })
  create(@CurrentActor() actor: MaybeActor, @Param('forumId', new IntIdPipe('forumId')) forumId: number, @Body() dto: CreateInvitationDto) {
    return this.invitations.create(actor, forumId, dto);
  }

  @Get('forums/:forumId/invitations')
  @ApiOperation({ summary: "The forum's invitations with their status, newest first (moderators)" })
  @ApiOkResponse({ type: InvitationPage })
  list(@CurrentActor() actor: MaybeActor, @Param('forumId', new IntIdPipe('forumId')) forumId: number, @Query() query: ListInvitationsQuery) {
    return this.invitations.list(actor, forumId, query);
  }

  @Delete('forums/:forumId/invitations/:invitationId')
  @ApiOperation({ summary: 'Revoke an invitation at once (moderators)' })
  @ApiOkResponse({ type: InvitationView })
  revoke(
    @CurrentActor() actor: MaybeActor,
    @Param('forumId', new IntIdPipe('forumId')) forumId: number,
    @Param('invitationId', new IntIdPipe('invitationId')) invitationId: number,
  ) {
    return this.invitations.revoke(actor, forumId, invitationId);
  }

  @Post('invitations/preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'What an invitation link leads to and whether it is still valid (no sign-in needed)' })
  @ApiOkResponse({ type: ReceivedInvitation })
  preview(@CurrentActor() actor: MaybeActor, @Body() dto: AcceptInvitationDto) {
    return this.invitations.preview(actor, dto.token);
  }

  @Get('me/invitations')
  @ApiOperation({ summary: "Pending invitations addressed to the caller's verified email (none while it is unverified)" })
  @ApiOkResponse({ type: [ReceivedInvitation] })
  async mine(@CurrentActor() actor: MaybeActor) {
    return { items: await this.invitations.mine(actor) };
  }

  @Post('me/invitations/:invitationId/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Accept an invitation addressed to the caller without its link: only with a verified email that matches (403 email_not_verified, invitation_for_someone_else)' })
  @ApiOkResponse({ type: AcceptedInvitation })
  acceptAddressed(@CurrentActor() actor: MaybeActor, @Param('invitationId', new IntIdPipe('invitationId')) invitationId: number) {
    return this.invitations.acceptAddressed(actor, invitationId);
  }

  @Post('invitations/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Accept an invitation by its token: the caller becomes a member (403 invitation_for_someone_else, 410 expired or revoked, 409 used up)' })
  @ApiOkResponse({ type: AcceptedInvitation })
  acceptToken(@CurrentActor() actor: MaybeActor, @Body() dto: AcceptInvitationDto) {
    return this.invitations.acceptToken(actor, dto.token);
  }
}
