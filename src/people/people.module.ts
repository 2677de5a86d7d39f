import { Module } from '@nestjs/common';
import { PeopleController } from './people.controller.js';
import { PeopleService } from './people.service.js';

/** Members' profiles: read side only; the profile fields belong to auth (account), edited through its endpoints. */
@Module({
  controllers: [PeopleController],
  providers: [PeopleService],
})
export class PeopleModule {}
