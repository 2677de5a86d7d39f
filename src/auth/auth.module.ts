import { Inject, Injectable, Logger, Module, RequestMethod, type MiddlewareConsumer, type NestModule, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { findAccountByEmail, insertAccount } from './accounts.js';
import { AuthController } from './auth.controller.js';
import { AuthMiddleware } from './auth.middleware.js';
import { AuthService } from './auth.service.js';
import { LoginSessionsService } from './login-sessions.service.js';
import { warmDummyHash } from './passwords.js';
import { SignInThrottleService } from './sign-in-throttle.service.js';
import { MailTransportModule } from '../mail/mail-transport.module.js';
import { EmailVerificationService } from './email-verification.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { EventsModule } from '../events/events.module.js';

/** At start: creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no account has that email, drops long-expired sessions, prepares the dummy hash. */
@Injectable()
class AuthBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly sessions: LoginSessionsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.sessions.pruneExpired();
    void warmDummyHash();
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email) return;
    if (!password) {
      this.logger.warn('ADMIN_EMAIL is set but ADMIN_PASSWORD is not, so no first admin was created.');
      return;
    }
    if (await findAccountByEmail(this.dataSource.manager, email)) return;
    try {
      await insertAccount(this.dataSource.manager, { email, password, displayName: email.split('@')[0], role: 'admin' });
      this.logger.log(`Created the first admin account ${email} (from ADMIN_EMAIL).`);
    } catch (error) {
      // Another instance starting at the same moment may have created it.
      if (!(await findAccountByEmail(this.dataSource.manager, email))) throw error;
    }
  }
}

@Module({
  imports: [EventsModule, MailTransportModule],
  controllers: [AuthController],
  providers: [AuthService, LoginSessionsService, SignInThrottleService, AuthMiddleware, AuthBootstrap, PasswordResetService, EmailVerificationService],
  exports: [AuthService, LoginSessionsService],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
