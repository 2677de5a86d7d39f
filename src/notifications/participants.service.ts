import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import { signedInId } from './signed-in.js';

export interface Participant {
  id: string;
  displayName: string;
}

/**
 * Who can be @mentioned in a forum: its members and the people who asked or
 * replied there, matched on the start of their name or of a word in it,
 * keeping only those who can read the forum now (a mention of anyone else
 * would notify nobody). Only for signed-in readers of the forum.
 */
@Injectable()
export class ParticipantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
  ) {}

  async matching(actor: MaybeActor, forumId: number, prefix: string, limit = 8): Promise<{ items: Participant[] }> {
    const me = signedInId(actor, 'Sign in to mention people.');
    await this.forumAccess.readable(actor, forumId);
    const like = prefix.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows: { id: string; display_name: string }[] = await this.dataSource.query(
      `SELECT a.id, a.display_name FROM account a
        WHERE a.id IN (SELECT author_id FROM reply WHERE forum_id = $1 AND state = 'visible'
                       UNION SELECT author_id FROM question WHERE forum_id = $1 AND author_id IS NOT NULL
                       UNION SELECT account_id FROM forum_membership WHERE forum_id = $1 AND state = 'active')
          AND a.id <> $2
          AND (a.display_name ILIKE $3 || '%' ESCAPE '\\' OR a.display_name ILIKE '% ' || $3 || '%' ESCAPE '\\')
        ORDER BY lower(a.display_name), a.id LIMIT $4`,
      [forumId, me, like, limit * 3],
    );
    const readers = await this.forumAccess.readersAmong(forumId, rows.map((r) => r.id));
    return { items: rows.filter((r) => readers.has(r.id)).slice(0, limit).map((r) => ({ id: r.id, displayName: r.display_name })) };
  }
}
