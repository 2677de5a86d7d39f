import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { DiscussionsModule } from '../../discussions/discussions.module.js';
import { DATABASE_LOCATION, type DatabaseLocation } from '../database.module.js';
import { DemoDataService } from './demo-data.service.js';

/**
 * Loads the demo data on the first start of the embedded database when
 * DEMO_DATA is true (after migrations, which run while the data source is
 * created). Also when a first start stopped before the seed committed: the
 * embedded database then has no sessions and no real accounts. A database
 * from DATABASE_URL only gets demo data from `npm run seed:demo`.
 */
@Injectable()
export class DemoBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoData');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DATABASE_LOCATION) private readonly location: DatabaseLocation,
    private readonly demo: DemoDataService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const embedded = this.location.embedded;
    if (!this.config.DEMO_DATA || !embedded) return;
    if (!embedded.fresh && !(await this.demo.isEmpty())) return;
    try {
      await this.demo.load();
    } catch (error) {
      // The app still serves an empty catalogue; `npm run seed:demo` can try again.
      this.logger.error(`Could not load the demo data: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }
}

@Module({
  imports: [DiscussionsModule],
  providers: [DemoDataService, DemoBootstrap],
  exports: [DemoDataService],
})
export class DemoModule {}
