import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { GlobalRole } from '../common/actor.js';

export type Language = 'en' | 'es' | 'fr';
export const LANGUAGES: Language[] = ['en', 'es', 'fr'];
export type { GlobalRole } from '../common/actor.js';

@Entity('account')
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('text', { nullable: true })
  organisation: string | null;

  @Column('text')
  language: Language;

  @Column('text')
  role: GlobalRole;

  /** Argon2id hash; never serialised (see toPublicAccount). */
  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  /** A short bio shown on the profile page. */
  @Column('text')
  bio: string;

  /** The languages the person reads and writes (the profile shows them); `language` is the interface's. */
  @Column('text', { name: 'spoken_languages', array: true })
  spokenLanguages: Language[];

  /** The avatar as re-encoded (a small square WebP); loaded only when served. */
  @Column('bytea', { select: false, nullable: true })
  avatar: Buffer | null;

  @Column('timestamptz', { name: 'avatar_updated_at', nullable: true })
  avatarUpdatedAt: Date | null;

  /** When the account proved it holds its address (a mailed link); null until then. */
  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt: Date | null;

  @Column('boolean', { name: 'is_demo' })
  isDemo: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
