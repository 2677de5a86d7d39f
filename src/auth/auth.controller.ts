import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiConsumes, ApiCookieAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, getSchemaPath,
  type SchemaObject,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { AccountView } from './account-view.js';
import { CurrentActor, type MaybeActor } from './actor.js';
import { AuthService } from './auth.service.js';
import { AVATAR_MAX_UPLOAD_BYTES, type AvatarUpload } from './avatars.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import { LoginSessionIdParams } from './dto/login-session-id.dto.js';
import { IssuedTokenView, LoginSessionView } from './dto/login-session.view.js';
import { SignInDto } from './dto/sign-in.dto.js';
import { SignOutQuery } from './dto/sign-out.dto.js';
import { SignUpDto } from './dto/sign-up.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { LoginSessionsService } from './login-sessions.service.js';
import { RetryAfterInterceptor } from './retry-after.interceptor.js';
import { ConfirmEmailDto, ConfirmPasswordResetDto, RequestPasswordResetDto } from './dto/password-reset.dto.js';
import { EmailVerificationService, VERIFICATION_SENT } from './email-verification.service.js';
import { PasswordResetService, RESET_REQUESTED } from './password-reset.service.js';
import { clearSessionCookie, clientInfo, setSessionCookie } from './session-cookie.js';

const MESSAGE: SchemaObject = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };

@ApiTags('auth')
@ApiCookieAuth()
@ApiBearerAuth()
@ApiForbiddenResponse({ description: "`cross_site_request`: a cookie-authenticated write from another site's page." })
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: LoginSessionsService,
    private readonly config: AppConfig,
    private readonly passwordReset: PasswordResetService,
    private readonly emailVerification: EmailVerificationService,
  ) {}

  @Post('verify-email')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Mail the signed-in account a single-use link (valid a day) confirming its address; at most three an hour' })
  @ApiAcceptedResponse({ schema: MESSAGE })
  requestEmailVerification(@CurrentActor() actor: MaybeActor): Promise<typeof VERIFICATION_SENT> {
    return this.emailVerification.request(actor);
  }

  @Post('verify-email/confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Confirm the account's address with the mailed link's token (no sign-in needed)" })
  @ApiBadRequestResponse({ description: '`invalid_verification_token` (used, expired, unknown, or the address changed), `validation_failed`.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { emailVerified: { type: 'boolean', enum: [true] } }, required: ['emailVerified'] } })
  confirmEmail(@Body() dto: ConfirmEmailDto): Promise<{ emailVerified: true }> {
    return this.emailVerification.confirm(dto.token);
  }

  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Mail a single-use link (valid one hour) to choose a new password; the same answer whether or not the address has an account' })
  @ApiAcceptedResponse({ schema: MESSAGE })
  requestPasswordReset(@Body() dto: RequestPasswordResetDto): Promise<typeof RESET_REQUESTED> {
    return this.passwordReset.request(dto.email);
  }

  @Post('password-reset/confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Choose a new password with the mailed link\'s token; ends every sign-in of the account' })
  @ApiBadRequestResponse({ description: '`invalid_reset_token` (used, expired or unknown), `validation_failed`.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { reset: { type: 'boolean', enum: [true] } }, required: ['reset'] } })
  confirmPasswordReset(@Body() dto: ConfirmPasswordResetDto): Promise<{ reset: true }> {
    return this.passwordReset.confirm(dto.token, dto.password);
  }

  @Post('sign-up')
  @ApiOperation({ summary: 'Create an account and sign in (sets the agora_session cookie)' })
  @ApiCreatedResponse({ type: AccountView })
  @ApiBadRequestResponse({ description: '`validation_failed`, naming each field.' })
  @ApiConflictResponse({ description: '`email_taken`: an account with this email (any case) exists.' })
  async signUp(@CurrentActor() actor: MaybeActor, @Body() dto: SignUpDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountView> {
    const { account, session } = await this.auth.signUp(actor, dto, clientInfo(req));
    setSessionCookie(req, res, this.config, session.secret, session.expiresAt);
    return account;
  }

  @Post('sign-in')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(RetryAfterInterceptor)
  @ApiOperation({ summary: 'Sign in with email and password (sets the agora_session cookie)' })
  @ApiOkResponse({ type: AccountView })
  @ApiUnauthorizedResponse({ description: '`invalid_credentials`, the same for an unknown email and a wrong password.' })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`, with a Retry-After header (seconds).' })
  async signIn(@CurrentActor() actor: MaybeActor, @Body() dto: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountView> {
    const { account, session } = await this.auth.signIn(actor, dto, clientInfo(req));
    setSessionCookie(req, res, this.config, session.secret, session.expiresAt);
    return account;
  }

  @Post('sign-out')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End this sign-in at once, or with ?everywhere=true every sign-in of the account (harmless when not signed in)' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: '`validation_failed`.' })
  async signOut(@CurrentActor() actor: MaybeActor, @Query() query: SignOutQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.signOut(actor, query.everywhere ?? false);
    clearSessionCookie(req, res, this.config);
  }

  @Get('me')
  @ApiOperation({ summary: 'Who am I: the signed-in account' })
  @ApiOkResponse({ type: AccountView })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`: not signed in.' })
  me(@CurrentActor() actor: MaybeActor): Promise<AccountView> {
    return this.auth.me(actor);
  }

  @Get('current')
  @ApiOperation({ summary: 'Who is signed in, if anyone: `{ account }`, with `account: null` when signed out (not an error, unlike GET /api/auth/me)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { account: { type: 'object', nullable: true, allOf: [{ $ref: getSchemaPath(AccountView) }] } }, required: ['account'] } })
  async current(@CurrentActor() actor: MaybeActor): Promise<{ account: AccountView | null }> {
    return { account: await this.auth.current(actor) };
  }

  @Patch('me')
  @ApiOperation({ summary: "Change one's own display name, organisation, preferred language, bio or spoken languages" })
  @ApiOkResponse({ type: AccountView })
  @ApiBadRequestResponse({ description: '`validation_failed`.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`: not signed in.' })
  updateProfile(@CurrentActor() actor: MaybeActor, @Body() dto: UpdateProfileDto): Promise<AccountView> {
    return this.auth.updateProfile(actor, dto);
  }

  @Put('me/avatar')
  @UseInterceptors(FileInterceptor('avatar', { limits: { fileSize: AVATAR_MAX_UPLOAD_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { avatar: { type: 'string', format: 'binary' } }, required: ['avatar'] } })
  @ApiOperation({ summary: "Set one's avatar: a JPEG, PNG, WebP, GIF, AVIF or HEIF image (up to 5 MB), stored re-encoded as a 256 px square" })
  @ApiOkResponse({ schema: { type: 'object', properties: { avatarUrl: { type: 'string' } }, required: ['avatarUrl'] } })
  @ApiBadRequestResponse({ description: '`avatar_invalid`: not an image we accept (field `avatar`).' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`.' })
  setAvatar(@CurrentActor() actor: MaybeActor, @UploadedFile() file: AvatarUpload | undefined): Promise<{ avatarUrl: string }> {
    return this.auth.setAvatar(actor, file);
  }

  @Delete('me/avatar')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Remove one's avatar (initials are shown instead)" })
  @ApiNoContentResponse()
  removeAvatar(@CurrentActor() actor: MaybeActor): Promise<void> {
    return this.auth.removeAvatar(actor);
  }

  @Post('password')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Change password; ends every other sign-in of this account at once (the cookie is re-issued)' })
  @ApiOkResponse({ type: AccountView })
  @ApiBadRequestResponse({ description: '`validation_failed`, or `wrong_password` when currentPassword is incorrect.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`.' })
  async changePassword(@CurrentActor() actor: MaybeActor, @Body() dto: ChangePasswordDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountView> {
    const { account, session } = await this.auth.changePassword(actor, dto, clientInfo(req));
    if (session) setSessionCookie(req, res, this.config, session.secret, session.expiresAt);
    return account;
  }

  @Get('sessions')
  @ApiOperation({ summary: 'My sign-ins (browser sessions and API tokens), the current one marked' })
  @ApiOkResponse({ type: LoginSessionView, isArray: true })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`.' })
  listSessions(@CurrentActor() actor: MaybeActor): Promise<LoginSessionView[]> {
    return this.sessions.list(actor);
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one of my sign-ins at once (a browser elsewhere, or an API token)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: '`login_session_not_found`: not one of your sign-ins.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`.' })
  async endSession(@CurrentActor() actor: MaybeActor, @Param() params: LoginSessionIdParams, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const { current } = await this.sessions.end(actor, params.id);
    if (current) clearSessionCookie(req, res, this.config);
  }

  @Post('tokens')
  @ApiOperation({ summary: 'Create an API token for scripts (send as `Authorization: Bearer <token>`); shown once' })
  @ApiCreatedResponse({ type: IssuedTokenView })
  @ApiBadRequestResponse({ description: '`validation_failed`.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`.' })
  createToken(@CurrentActor() actor: MaybeActor, @Body() dto: CreateTokenDto, @Req() req: Request): Promise<IssuedTokenView> {
    return this.auth.createToken(actor, dto, clientInfo(req));
  }
}
