import { Module } from '@nestjs/common';
import { PeopleController } from './people.controller.js';
import { PeopleService } from './people.service.js';
import { ForumsModule } from '../forums/forums.module.js';

/** Members' profiles: read side only; the profile fields belong to auth (account), edited through its endpoints. */
@Module({
  imports: [ForumsModule],
  controllers: [PeopleController],
  providers: [PeopleService],
})
export class PeopleModule {}
