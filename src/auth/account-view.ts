import { ApiProperty } from '@nestjs/swagger';
import { LANGUAGES, type Account, type GlobalRole, type Language } from './account.entity.js';

/** An account as the API shows it to its owner. Never carries the password hash. */
export class AccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ana@example.org' }) email: string;
  @ApiProperty({ example: 'Ana García' }) displayName: string;
  @ApiProperty({ type: String, nullable: true, example: 'Barcelona City Council' }) organisation: string | null;
  @ApiProperty({ enum: LANGUAGES }) language: Language;
  @ApiProperty({ enum: ['member', 'admin'] }) role: GlobalRole;
  @ApiProperty({ description: 'The account proved it holds its address (a mailed link): addressed invitations can trust it.' }) emailVerified: boolean;
  @ApiProperty({ description: 'A demo account that exists only with the demo data.' }) isDemo: boolean;
  @ApiProperty() createdAt: Date;
}

/** The address of a person's avatar, versioned by its time so a new one is fetched at once; null: show initials. */
export const avatarPath = (accountId: string, updatedAt: Date | null | undefined): string | null =>
  updatedAt ? `/api/people/${accountId}/avatar?v=${new Date(updatedAt).getTime()}` : null;

export function toAccountView(a: Account): AccountView {
  return {
    id: a.id,
    email: a.email,
    displayName: a.displayName,
    organisation: a.organisation,
    language: a.language,
    role: a.role,
    emailVerified: a.emailVerifiedAt != null,
    isDemo: a.isDemo,
    createdAt: a.createdAt,
  };
}
