import { Body, Controller, Get, HttpCode, HttpStatus, Put, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { MailPreferencesDto, UnsubscribeQuery } from './dto/mail.dto.js';
import { MailPreferencesView, OutboxPage, UnsubscribeView } from './dto/mail.views.js';
import { MailPreferencesService } from './mail-preferences.service.js';
import { OutboxService } from './outbox.service.js';

@ApiTags('mail')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller()
export class MailController {
  constructor(
    private readonly preferences: MailPreferencesService,
    private readonly outbox: OutboxService,
  ) {}

  @Get('me/mail-preferences')
  @ApiOperation({ summary: 'How notifications are mailed to the caller' })
  @ApiOkResponse({ type: MailPreferencesView })
  get(@CurrentActor() actor: MaybeActor): Promise<MailPreferencesView> {
    return this.preferences.get(actor);
  }

  @Put('me/mail-preferences')
  @ApiOperation({ summary: 'Change them: frequency (immediate, daily, weekly, none) and kinds on or off' })
  @ApiOkResponse({ type: MailPreferencesView })
  set(@CurrentActor() actor: MaybeActor, @Body() dto: MailPreferencesDto): Promise<MailPreferencesView> {
    return this.preferences.set(actor, dto);
  }

  @Get('mail/unsubscribe')
  @ApiOperation({ summary: 'What an unsubscribe link stops (changes nothing: link scanners follow GETs)' })
  @ApiOkResponse({ type: UnsubscribeView })
  @ApiNotFoundResponse({ description: '`unsubscribe_link_not_found`' })
  describe(@Query() query: UnsubscribeQuery): Promise<UnsubscribeView> {
    return this.preferences.describeLink(query.token, query.kind);
  }

  @Post('mail/unsubscribe')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'One-click unsubscribe (RFC 8058), signed out: the token in the link is enough' })
  @ApiOkResponse({ type: UnsubscribeView })
  @ApiNotFoundResponse({ description: '`unsubscribe_link_not_found`' })
  unsubscribe(@Query() query: UnsubscribeQuery): Promise<UnsubscribeView> {
    return this.preferences.unsubscribe(query.token, query.kind);
  }

  @Get('admin/outbox')
  @ApiOperation({ summary: 'Admins: the mails the app sent to the local outbox (no SMTP_URL), newest first' })
  @ApiOkResponse({ type: OutboxPage })
  @ApiForbiddenResponse({ description: '`not_admin`' })
  list(@CurrentActor() actor: MaybeActor): Promise<OutboxPage> {
    return this.outbox.list(actor);
  }
}
