import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { MailTransport } from './mail-transport.service.js';

/** Only the sending of mail, for features below notifications (auth's password reset). */
@Module({ providers: [MailTransport], exports: [MailTransport] })
export class MailTransportModule implements OnApplicationShutdown {
  constructor(private readonly transport: MailTransport) {}

  // After every module's destroy hook, so mail jobs the job queue's stop waits for can still send.
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
