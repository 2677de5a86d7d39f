import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { conflict, notFound } from '../common/app-exception.js';
import { AppConfig } from '../config/app-config.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import { updateForum, type ForumChanges } from '../forums/forum-store.js';
import type { ForumSettingsCommand, SilenceCommand, UnsilenceCommand } from './dto/act-commands.js';
import type { ActResult, ForumModerationSettings, SilenceList, SilenceView } from './dto/moderation.views.js';
import { ModerationActs, type ActContext, type ActRecord } from './moderation-acts.js';
import { silenceMember, unsilenceMember } from './silence-store.js';

interface SettingsRow {
  id: number;
  premoderation: boolean;
  premoderate_first_replies: number;
  flag_threshold: number | null;
  slow_mode_seconds: number | null;
  max_replies_per_hour: number | null;
  member_questions: boolean;
}

interface SilenceRow {
  forum_id: number;
  account_id: string;
  account_name: string;
  until: Date;
  reason: string | null;
  silenced_by: string | null;
  by_name: string | null;
  created_at: Date;
}

const SETTINGS = `id, premoderation, premoderate_first_replies, flag_threshold, slow_mode_seconds, max_replies_per_hour, member_questions`;
const SILENCE = `s.forum_id, s.account_id, a.display_name AS account_name, s.until, s.reason, s.silenced_by, b.display_name AS by_name, s.created_at`;
const SILENCE_JOINS = `JOIN account a ON a.id = s.account_id LEFT JOIN account b ON b.id = s.silenced_by`;

/** The settings fields of forum.settings and their columns. */
const FIELDS = {
  premoderation: 'premoderation',
  premoderateFirstReplies: 'premoderate_first_replies',
  flagThreshold: 'flag_threshold',
  slowModeSeconds: 'slow_mode_seconds',
  maxRepliesPerHour: 'max_replies_per_hour',
  memberQuestions: 'member_questions',
} as const;
type SettingsField = keyof typeof FIELDS;

const forumNotFound = () => notFound('The forum', 'forum_not_found');

/**
 * A forum's moderation rules (pre-moderation, flag threshold, slow mode, the
 * hourly limit) and its silenced members. Changing them is an act; reading
 * the rules is open to the forum's readers (so a client can say why a reply
 * waits), the list of silenced members to its moderators.
 */
@Injectable()
export class ForumRulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly acts: ModerationActs,
    private readonly config: AppConfig,
  ) {}

  async settings(actor: MaybeActor, forumId: number): Promise<ForumModerationSettings> {
    await this.forumAccess.readable(actor, forumId);
    return this.toSettings((await this.loadSettings(this.dataSource.manager, forumId))!);
  }

  changeSettings(actor: MaybeActor, cmd: ForumSettingsCommand): Promise<ActResult> {
    return this.inForum(actor, cmd, async ({ m, record, forumId }) => {
      const before = (await this.loadSettings(m, forumId, true))!;
      const changed = (Object.keys(FIELDS) as SettingsField[]).filter((f) => cmd[f] !== undefined && cmd[f] !== before[FIELDS[f]]);
      if (changed.length === 0) return { result: { settings: this.toSettings(before) }, records: [] };
      await updateForum(m, forumId, Object.fromEntries(changed.map((f) => [FIELDS[f], cmd[f]])) as ForumChanges);
      const settings = this.toSettings((await this.loadSettings(m, forumId))!);
      record(forumId, 'forum.moderation', { settings });
      return {
        result: { settings },
        records: [{
          act: 'forum.settings', targetKind: 'forum', targetId: forumId, reason: cmd.reason ?? null,
          before: Object.fromEntries(changed.map((f) => [f, before[FIELDS[f]]])), after: Object.fromEntries(changed.map((f) => [f, cmd[f]])),
        }],
      };
    });
  }

  /** Silences a member in the forum until a time (again: the new time replaces the old). Moderators and admins can't be silenced. */
  silence(actor: MaybeActor, cmd: SilenceCommand): Promise<ActResult> {
    return this.inForum(actor, cmd, async ({ m, record, forumId, actor: moderator }) => {
      const [account]: { role: string; forum_role: string | null; forum_state: string | null }[] = await m.query(
        `SELECT a.role, fm.role AS forum_role, fm.state AS forum_state
           FROM account a LEFT JOIN forum_membership fm ON fm.account_id = a.id AND fm.forum_id = $2 WHERE a.id = $1`,
        [cmd.accountId, forumId],
      );
      if (!account) throw notFound('The account', 'account_not_found');
      if (account.role === 'admin' || (account.forum_role === 'moderator' && account.forum_state === 'active')) {
        throw conflict('cannot_silence_moderator', 'Moderators and admins can\'t be silenced; change their role first.');
      }
      const [before]: { until: Date }[] = await m.query(`SELECT until FROM forum_silence WHERE forum_id = $1 AND account_id = $2 FOR UPDATE`, [forumId, cmd.accountId]);
      await silenceMember(m, { forumId, accountId: cmd.accountId, until: cmd.until, reason: cmd.reason ?? null, silencedBy: moderator.accountId });
      const silence = (await this.loadSilence(m, forumId, cmd.accountId))!;
      record(forumId, 'member.silenced', { accountId: cmd.accountId, silence }, { audience: { kind: 'moderators_and_account', accountId: cmd.accountId } });
      return {
        result: { silence },
        records: [{
          act: 'member.silence', targetKind: 'account', targetId: cmd.accountId, targetAuthorId: cmd.accountId, reason: cmd.reason ?? null,
          before: { until: before?.until ?? null }, after: { until: silence.until },
        }],
      };
    });
  }

  unsilence(actor: MaybeActor, cmd: UnsilenceCommand): Promise<ActResult> {
    return this.inForum(actor, cmd, async ({ m, record, forumId }) => {
      const until = await unsilenceMember(m, forumId, cmd.accountId);
      if (!until) return { result: { silence: null }, records: [] };
      record(forumId, 'member.silenced', { accountId: cmd.accountId, silence: null }, { audience: { kind: 'moderators_and_account', accountId: cmd.accountId } });
      return {
        result: { silence: null },
        records: [{
          act: 'member.unsilence', targetKind: 'account', targetId: cmd.accountId, targetAuthorId: cmd.accountId, reason: cmd.reason ?? null,
          before: { until }, after: { until: null },
        }],
      };
    });
  }

  /** The forum's members silenced now (moderators). */
  async silences(actor: MaybeActor, forumId: number): Promise<SilenceList> {
    await this.forumAccess.moderating(actor, forumId);
    const rows: SilenceRow[] = await this.dataSource.query(
      `SELECT ${SILENCE} FROM forum_silence s ${SILENCE_JOINS} WHERE s.forum_id = $1 AND s.until > now() ORDER BY s.until, s.account_id`,
      [forumId],
    );
    return { items: rows.map(toSilenceView) };
  }

  private async inForum(
    actor: MaybeActor,
    cmd: { act: string; forumId: number },
    work: (ctx: ActContext) => Promise<{ result: Omit<ActResult, 'act' | 'actions'>; records: ActRecord[] }>,
  ): Promise<ActResult> {
    const { result, actions } = await this.acts.run(actor, async () => ({ forumId: cmd.forumId, notFound: forumNotFound }), work);
    return { act: cmd.act, ...result, actions };
  }

  private async loadSettings(m: EntityManager, forumId: number, lock = false): Promise<SettingsRow | null> {
    const [row]: SettingsRow[] = await m.query(`SELECT ${SETTINGS} FROM forum WHERE id = $1${lock ? ' FOR NO KEY UPDATE' : ''}`, [forumId]);
    return row ?? null;
  }

  private async loadSilence(m: EntityManager, forumId: number, accountId: string): Promise<SilenceView | null> {
    const [row]: SilenceRow[] = await m.query(`SELECT ${SILENCE} FROM forum_silence s ${SILENCE_JOINS} WHERE s.forum_id = $1 AND s.account_id = $2`, [forumId, accountId]);
    return row ? toSilenceView(row) : null;
  }

  private toSettings(row: SettingsRow): ForumModerationSettings {
    return {
      forumId: row.id,
      premoderation: row.premoderation,
      premoderateFirstReplies: row.premoderate_first_replies,
      flagThreshold: row.flag_threshold ?? this.config.FLAG_THRESHOLD,
      flagThresholdIsDefault: row.flag_threshold === null,
      slowModeSeconds: row.slow_mode_seconds,
      maxRepliesPerHour: row.max_replies_per_hour,
      memberQuestions: row.member_questions,
    };
  }
}

function toSilenceView(row: SilenceRow): SilenceView {
  return {
    forumId: row.forum_id,
    account: { id: row.account_id, displayName: row.account_name },
    until: row.until,
    reason: row.reason,
    by: row.silenced_by ? { id: row.silenced_by, displayName: row.by_name ?? '' } : null,
    createdAt: row.created_at,
  };
}
