import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config.js';
import { PublicLinks } from './public-links.js';

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => loadConfig() }, PublicLinks],
  exports: [AppConfig, PublicLinks],
})
export class ConfigModule {}
