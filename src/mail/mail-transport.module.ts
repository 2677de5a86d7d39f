import { Module, type OnModuleDestroy } from '@nestjs/common';
import { MailTransport } from './mail-transport.service.js';

/** Only the sending of mail, for features below notifications (auth's password reset). */
@Module({ providers: [MailTransport], exports: [MailTransport] })
export class MailTransportModule implements OnModuleDestroy {
  constructor(private readonly transport: MailTransport) {}

  onModuleDestroy(): void {
    this.transport.close();
  }
}
