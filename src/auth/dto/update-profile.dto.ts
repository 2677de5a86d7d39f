import { PickType, PartialType } from '@nestjs/swagger';
import { SignUpDto } from './sign-up.dto.js';

/** The parts of one's own account a person may change (email and password have their own flows). */
export class UpdateProfileDto extends PartialType(PickType(SignUpDto, ['displayName', 'organisation', 'language'] as const)) {}
