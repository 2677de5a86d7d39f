import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { findAccountByEmail, insertAccount } from '../../auth/accounts.js';
import { DEMO_ACCOUNTS, demoSignInHints, ensureDemoAccounts } from '../../auth/demo-accounts.js';
import { newSecret, secretId } from '../../auth/tokens.js';
import { AppConfig } from '../../config/app-config.js';
import { MarkdownService } from '../../discussions/markdown.service.js';
import { detectLanguage, replyLanguageSql } from '../../discussions/reply-language.js';
import { childPath } from '../../discussions/reply-path.js';
import { countsAsChild, countsAsReply } from '../../discussions/reply-visibility.js';
import { DEMO_CATALOGUE, type DemoSession } from './catalogue.js';
import { DEMO_FORUMS, DEMO_PARTICIPANTS, demoInvitationToken, type DemoForum, type DemoPerson, type DemoReply } from './demo-forums.js';
import { DEMO_LIVE_QA_SESSION, insertDemoLiveQa } from './demo-live-qa.js';
import { demoHideRecord, demoReplyState, insertDemoFlags, recordDemoAct } from './demo-moderation.js';

export interface DemoCounts {
  sessions: number;
  forums: number;
  questions: number;
  replies: number;
  votes: number;
  accounts: number;
}

export interface DemoLoadResult {
  loaded: boolean;
  message: string;
  counts?: DemoCounts;
}

const HOUR = 3600_000;

/**
 * The demo data: the whole session catalogue, three forums (members-only on
 * the digitalisation webinar, public on sustainable urban mobility,
 * invite-only for a training workshop) with questions and threaded replies,
 * and the demo accounts. One transaction; loading again does nothing.
 *
 * Replies are written here with SQL rather than through RepliesService,
 * because each of its methods commits its own transaction (and publishes
 * live events), while the seed must be all or nothing. They follow the same
 * rules: ids from the reply sequence, paths from reply-path.ts, markdown
 * rendered by MarkdownService, counts in thread_counter. The digitalisation
 * forum also shows moderation (demo-moderation.ts): a hidden reply, a
 * flagged one, one awaiting approval, a synthesis, each act in the record.
 */
@Injectable()
export class DemoDataService {
  private readonly logger = new Logger('DemoData');

  constructor(
    private readonly dataSource: DataSource,
    private readonly markdown: MarkdownService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Loads the demo data unless the demo catalogue is already there (then says so and changes nothing). */
  async load(): Promise<DemoLoadResult> {
    const started = Date.now();
    const result = await this.dataSource.transaction(async (m): Promise<DemoLoadResult> => {
      // Two app instances starting at once must not both seed.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('agora.demo-data'))`);
      const slugs = DEMO_CATALOGUE.map((s) => s.slug);
      const [present] = await m.query(`SELECT count(*)::int AS n FROM session WHERE slug = ANY($1)`, [slugs]);
      if (present.n > 0) {
        return { loaded: false, message: `The demo catalogue is already in this database (${present.n} of its ${slugs.length} sessions); nothing was loaded.` };
      }
      this.logger.log(`Loading the demo data (${DEMO_CATALOGUE.length} sessions, ${DEMO_FORUMS.length} forums)...`);
      const counts: DemoCounts = { sessions: 0, forums: 0, questions: 0, replies: 0, votes: 0, accounts: 0 };
      const people = await this.people(m, counts);
      const sessions = new Map<string, { id: number; session: DemoSession }>();
      for (const session of DEMO_CATALOGUE) {
        sessions.set(session.slug, { id: await this.insertSession(m, session), session });
        counts.sessions += 1;
      }
      for (const forum of DEMO_FORUMS) {
        const target = sessions.get(forum.sessionSlug);
        if (!target) throw new Error(`Demo forum "${forum.slug}" names an unknown session "${forum.sessionSlug}"`);
        await this.insertForum(m, forum, target.id, target.session, people, counts);
      }
      const liveQa = sessions.get(DEMO_LIVE_QA_SESSION);
      if (liveQa) await insertDemoLiveQa(m, liveQa.id, people);
      return {
        loaded: true,
        message:
          `Loaded the demo data in ${Date.now() - started} ms: ${counts.sessions} sessions, ${counts.forums} forums, ` +
          `${counts.questions} questions, ${counts.replies} replies, ${counts.votes} votes, ` +
          `${DEMO_ACCOUNTS.length} demo accounts to sign in with and ${counts.accounts - DEMO_ACCOUNTS.length} demo participants who write in the forums.`,
        counts,
      };
    });
    this.logger.log(result.message);
    return result;
  }

  /** Banner lines with the demo sign-in details, or none when the demo accounts don't exist in this database. */
  async signInHints(): Promise<string[]> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM account WHERE is_demo AND lower(email) = ANY($1)`,
      [DEMO_ACCOUNTS.map((a) => a.email.toLowerCase())],
    );
    return row.n === DEMO_ACCOUNTS.length ? demoSignInHints() : [];
  }

  /** The banner's lines after the demo accounts: what the second member is for, and the demo invitation as a link to open. */
  bannerNotes(baseUrl: string): string[] {
    return [
      `  (two browsers, one signed in as each member, see each other's replies arrive live)`,
      `The demo member's invitation to the invite-only forum: ${new URL(`/invite/${demoInvitationToken('member')}`, baseUrl).href}`,
    ];
  }

  /** Accounts in this database that are not demo accounts (a sign that it is a real one). */
  async realAccountCount(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM account WHERE NOT is_demo`);
    return row.n;
  }

  /** Whether the database holds no sessions and no real accounts (a first start that never finished seeding). */
  async isEmpty(): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT NOT EXISTS (SELECT 1 FROM session) AND NOT EXISTS (SELECT 1 FROM account WHERE NOT is_demo) AS empty`,
    );
    return row.empty === true;
  }

  private async people(m: EntityManager, counts: DemoCounts): Promise<Record<DemoPerson, string>> {
    const signIn = await ensureDemoAccounts(m);
    const ids = { ...signIn } as Record<DemoPerson, string>;
    for (const [key, p] of Object.entries(DEMO_PARTICIPANTS) as [keyof typeof DEMO_PARTICIPANTS, (typeof DEMO_PARTICIPANTS)[keyof typeof DEMO_PARTICIPANTS]][]) {
      const existing = await findAccountByEmail(m, p.email);
      // Nobody signs in as a participant: the password is random and never shown.
      ids[key] = (existing ?? (await insertAccount(m, { ...p, password: newSecret(), isDemo: true }))).id;
    }
    counts.accounts = Object.keys(ids).length;
    return ids;
  }

  private async insertSession(m: EntityManager, s: DemoSession): Promise<number> {
    const [row] = await m.query(
      `INSERT INTO session (slug, kind, title, summary, organiser, partners, cities, topics, languages, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [s.slug, s.kind, s.title, s.summary, s.organiser, s.partners, s.cities, s.topics, s.languages, s.state],
    );
    for (const [startsAt, endsAt] of s.dates) {
      await m.query(`INSERT INTO session_date (session_id, starts_at, ends_at) VALUES ($1, $2, $3)`, [row.id, startsAt, endsAt]);
    }
    for (const d of s.documents) {
      await m.query(`INSERT INTO session_document (session_id, kind, language, title, url) VALUES ($1, $2, $3, $4, $5)`, [row.id, d.kind, d.language, d.title, d.url]);
    }
    return row.id;
  }

  private async insertForum(
    m: EntityManager,
    f: DemoForum,
    sessionId: number,
    session: DemoSession,
    people: Record<DemoPerson, string>,
    counts: DemoCounts,
  ): Promise<void> {
    // The forum opens during the session ("launched live"); the debate follows it.
    const opened = new Date(session.dates[0][0]);
    let clock = new Date(session.dates[0][1]).getTime();
    const [forum] = await m.query(
      `INSERT INTO forum (session_id, slug, title, description, visibility, state, premoderate_first_replies, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
      [sessionId, f.slug, f.title, f.description, f.visibility, f.state, f.premoderateFirstReplies?.count ?? 0, opened],
    );
    counts.forums += 1;
    if (f.premoderateFirstReplies) {
      const { count, reason } = f.premoderateFirstReplies;
      await recordDemoAct(m, forum.id, people.moderator, {
        act: 'forum.settings', targetKind: 'forum', targetId: forum.id, reason,
        before: { premoderateFirstReplies: 0 }, after: { premoderateFirstReplies: count },
      }, opened);
    }

    // The demo moderator organises the session, so moderates all its forums.
    await m.query(`INSERT INTO session_moderator (session_id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [sessionId, people.moderator, opened]);
    await m.query(
      `INSERT INTO forum_membership (forum_id, account_id, role, state, created_at, updated_at) VALUES ($1, $2, 'moderator', 'active', $3, $3)`,
      [forum.id, people.moderator, opened],
    );
    for (const [i, who] of f.members.entries()) {
      await m.query(
        `INSERT INTO forum_membership (forum_id, account_id, role, state, created_at, updated_at) VALUES ($1, $2, 'member', 'active', $3, $3)`,
        [forum.id, people[who], new Date(opened.getTime() + (i + 1) * 60_000)],
      );
    }
    for (const who of f.invited ?? []) {
      const [account] = await m.query(`SELECT email FROM account WHERE id = $1`, [people[who]]);
      await m.query(
        // An addressed invitation is a token link (only the addressee's account can use it); the demo's token is fixed, see demoInvitationToken.
        `INSERT INTO invitation (forum_id, created_by, email, token_hash, expires_at, max_uses) VALUES ($1, $2, lower($3), $4, now() + interval '90 days', 1)`,
        [forum.id, people.moderator, account.email, secretId(demoInvitationToken(who))],
      );
    }

    for (const [position, q] of f.questions.entries()) {
      const askedAt = new Date(opened.getTime() + (position + 1) * 5 * 60_000);
      const [question] = await m.query(
        `INSERT INTO question (forum_id, position, title, body_source, body_html, author_id, pinned, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
        [forum.id, position, q.title, q.body, this.markdown.render(q.body), people.moderator, q.pinned ?? false, askedAt],
      );
      counts.questions += 1;
      let replies = 0;
      let visible = 0;
      const write = async (reply: DemoReply, parent: { id: string; path: string; depth: number } | null): Promise<void> => {
        clock += 2 * HOUR + ((replies * 37) % 90) * 60_000;
        const [{ id }]: { id: string }[] = await m.query(`SELECT nextval(pg_get_serial_sequence('reply', 'id')) AS id`);
        const path = childPath(parent?.path ?? null, id);
        const depth = (parent?.depth ?? 0) + 1;
        const votes = reply.votes ?? [];
        if (votes.includes(reply.by)) throw new Error(`Demo reply by ${reply.by} votes for itself`);
        const state = demoReplyState(reply);
        // childCount: what readers see in place (not the children awaiting approval).
        const children = (reply.replies ?? []).filter((child) => countsAsChild(demoReplyState(child))).length;
        await m.query(
          `INSERT INTO reply (id, question_id, forum_id, parent_id, path, depth, author_id, body_source, body_html, vote_count, child_count,
                              state, state_reason, created_at, language)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, ${replyLanguageSql('$15', '$7')})`,
          [id, question.id, forum.id, parent?.id ?? null, path, depth, people[reply.by], reply.body, this.markdown.render(reply.body),
            votes.length, children, state, reply.hiddenBecause ?? null, new Date(clock), detectLanguage(reply.body)],
        );
        for (const voter of votes) {
          await m.query(`INSERT INTO reply_vote (reply_id, account_id, created_at) VALUES ($1, $2, $3)`, [id, people[voter], new Date(clock + HOUR)]);
        }
        if (reply.hiddenBecause) {
          const hide = demoHideRecord({ id, questionId: question.id, authorId: people[reply.by] }, reply.hiddenBecause);
          await recordDemoAct(m, forum.id, people.moderator, hide, new Date(clock + HOUR / 2));
        }
        // Below the flag threshold (whatever FLAG_THRESHOLD says), or the flags would have hidden it.
        const flags = (reply.flags ?? []).slice(0, this.config.FLAG_THRESHOLD - 1);
        if (flags.length) await insertDemoFlags(m, { id, forumId: forum.id }, flags, people, clock);
        replies += 1;
        if (countsAsReply(state)) visible += 1;
        counts.replies += 1;
        counts.votes += votes.length;
        for (const child of reply.replies ?? []) await write(child, { id, path, depth });
      };
      for (const reply of q.replies) await write(reply, null);
      // Only visible replies count (reply-visibility.ts); one shard holds the total (readers sum the shards).
      if (visible) {
        await m.query(`INSERT INTO thread_counter (question_id, shard, forum_id, reply_count) VALUES ($1, 0, $2, $3)`, [question.id, forum.id, visible]);
      }
      if (q.synthesis) await this.insertSynthesis(m, forum.id, question.id, q.synthesis, people.moderator, new Date(clock + HOUR));
    }
  }

  /** The moderator's synthesis of a question, recorded as QuestionActsService.synthesis does (the demo questions are the moderator's). */
  private async insertSynthesis(m: EntityManager, forumId: number, questionId: number, source: string, moderatorId: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE question SET synthesis_source = $2, synthesis_html = $3, synthesis_by = $4, synthesis_at = $5, updated_at = $5 WHERE id = $1`,
      [questionId, source, this.markdown.render(source), moderatorId, at],
    );
    await recordDemoAct(m, forumId, moderatorId, {
      act: 'question.synthesis', targetKind: 'question', targetId: questionId, questionId, targetAuthorId: moderatorId,
      before: { synthesis: null }, after: { synthesis: source },
    }, at);
  }
}
