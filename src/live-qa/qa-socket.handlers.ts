import { Injectable } from '@nestjs/common';
import type { MaybeActor } from '../auth/actor.js';
import { conflict, unauthenticated } from '../common/app-exception.js';
import { DataSource } from 'typeorm';
import { parseMessage } from '../common/messages.js';
import type { AgoraServer, AgoraSocket, ClientAck } from '../events/socket-types.js';
import { QaAskMessage, QaEditMessage, QaModerateMessage, QaQuestionMessage, QaSessionMessage, QaSubscribeMessage, QaVoteMessage } from './dto/live-qa-input.dto.js';
import { LiveQuestionsService } from './live-questions.service.js';
import { loadQaContext } from './qa-access.js';
import { ASK_REFUSALS } from './qa-policy.js';
import { QaEventLog, QaFanout, type QaSubscription } from './qa-stream.js';
import { QaVoteBroadcaster } from './qa-votes.js';
import { QaPollActMessage, QaPollAnswerMessage, QaPollCreateMessage } from './polls/dto/poll-input.dto.js';
import { PollsService } from './polls/polls.service.js';
import { QaCommands } from './qa-commands.js';

const MAX_QAS_PER_SOCKET = 10;

/**
 * The live Q&A's socket messages. The gateway keeps its one dispatcher per
 * socket and routes `qa.*` messages here, with the socket's checked actor;
 * writes call the same LiveQuestionsService methods as HTTP.
 */
@Injectable()
export class QaSocketHandlers {
  constructor(
    private readonly dataSource: DataSource,
    private readonly questions: LiveQuestionsService,
    private readonly log: QaEventLog,
    private readonly fanout: QaFanout,
    private readonly votes: QaVoteBroadcaster,
    private readonly polls: PollsService,
    private readonly commands: QaCommands,
  ) {}

  attach(server: AgoraServer, clustered: boolean): void {
    this.fanout.attach(server, clustered);
  }

  disconnected(socket: AgoraSocket): void {
    this.fanout.disconnected(socket);
  }

  /**
   * `qa.subscribe { sessionId, lastSeq? }` → `{ sessionId, seq, replayed, resync?, moderator, counts, countsAsOf, pollResults }`.
   * Anyone may follow a session's Q&A; moderators also get pending questions and askers of anonymous ones.
   * Missed events arrive as `qa.events` before the ack; the ack carries fresh vote counts.
   */
  async subscribe(socket: AgoraSocket, body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.subscribe'>> {
    const message = await parseMessage(QaSubscribeMessage, body, '{ "sessionId": 1, "lastSeq": 0 }');
    const { sessionId } = message;
    const subs = socket.data.qaSubs ?? {};
    if (!subs[sessionId] && Object.keys(subs).length >= MAX_QAS_PER_SOCKET) {
      throw conflict('too_many_subscriptions', `A connection can follow at most ${MAX_QAS_PER_SOCKET} Q&As; unsubscribe from one first.`);
    }
    const decide = async (): Promise<QaSubscription> => {
      const context = await loadQaContext(this.dataSource.manager, actor, sessionId);
      return { questionId: null, moderator: context.moderator };
    };
    const checkedAt = await this.log.position(sessionId);
    const sub = await decide();
    const result = await this.fanout.subscribe(socket, sessionId, sub, message.lastSeq ?? null, { checkedAt, recheck: decide });
    const { asOf, counts } = await this.votes.countsOfSession(sessionId);
    const pollResults = await this.polls.resultsOfSession(sessionId, sub.moderator);
    return {
      sessionId,
      seq: result.seq,
      replayed: result.replayed,
      ...(result.resync ? { resync: true } : {}),
      moderator: sub.moderator,
      counts,
      countsAsOf: asOf,
      pollResults,
    };
  }

  /** `qa.unsubscribe { sessionId }` → `{ sessionId, subscribed: false }`. */
  async unsubscribe(socket: AgoraSocket, body: unknown): Promise<ClientAck<'qa.unsubscribe'>> {
    const { sessionId } = await parseMessage(QaSessionMessage, body, '{ "sessionId": 1 }');
    this.fanout.unsubscribe(socket, sessionId);
    return { sessionId, subscribed: false };
  }

  /** `qa.ask { sessionId, body, anonymous?, clientId? }` → `{ question }`, after commit. */
  async ask(body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.ask'>> {
    const message = await parseMessage(QaAskMessage, body, '{ "sessionId": 1, "body": "…", "anonymous": false }');
    const { sessionId, ...dto } = message;
    return { question: await this.questions.ask(signedIn(actor), String(sessionId), dto) };
  }

  /** `qa.edit { questionId, body }` → `{ question }`. */
  async edit(body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.edit'>> {
    const { questionId, ...dto } = await parseMessage(QaEditMessage, body, '{ "questionId": 7, "body": "…" }');
    return { question: await this.questions.edit(signedIn(actor), questionId, dto) };
  }

  /** `qa.withdraw { questionId }` → `{ question }`. */
  async withdraw(body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.withdraw'>> {
    const { questionId } = await parseMessage(QaQuestionMessage, body, '{ "questionId": 7 }');
    return { question: await this.questions.withdraw(signedIn(actor), questionId) };
  }

  /** `qa.vote { questionId, value: 1 | 0 }` → `{ vote: { questionId, voteCount, viewerVoted, asOf } }`. */
  async vote(body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.vote'>> {
    const { questionId, value } = await parseMessage(QaVoteMessage, body, '{ "questionId": 7, "value": 1 }');
    return { vote: await this.commands.vote(signedIn(actor), questionId, value === 1) };
  }

  /** `qa.moderate { questionId, action, reason?, intoId?, body? }` → `{ question, into? }`. */
  async moderate(body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.moderate'>> {
    const { questionId, ...dto } = await parseMessage(QaModerateMessage, body, '{ "questionId": 7, "action": "highlight" }');
    return this.questions.moderate(signedIn(actor), questionId, dto);
  }

  /** `qa.poll.create { sessionId, kind, prompt, options?, resultsHidden?, liveQuestionId? }` → `{ poll }` (moderators). */
  async pollCreate(body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.poll.create'>> {
    const { sessionId, ...dto } = await parseMessage(QaPollCreateMessage, body, '{ "sessionId": 1, "kind": "single", "prompt": "…", "options": ["a", "b"] }');
    return { poll: await this.polls.create(signedIn(actor), String(sessionId), dto) };
  }

  /** `qa.poll.answer { pollId, choices? | rating? | text? }` → `{ answer }`, after commit. */
  async pollAnswer(body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.poll.answer'>> {
    const { pollId, ...dto } = await parseMessage(QaPollAnswerMessage, body, '{ "pollId": 3, "choices": [1] }');
    return this.commands.answerPoll(signedIn(actor), pollId, dto);
  }

  /** `qa.poll.act { pollId, action, word?, answerId? }` → `{ poll }` (moderators). */
  async pollAct(body: unknown, actor: MaybeActor): Promise<ClientAck<'qa.poll.act'>> {
    const { pollId, ...dto } = await parseMessage(QaPollActMessage, body, '{ "pollId": 3, "action": "launch" }');
    return { poll: await this.polls.act(signedIn(actor), pollId, dto) };
  }
}

function signedIn(actor: MaybeActor): MaybeActor {
  if (!actor) throw unauthenticated(ASK_REFUSALS.unauthenticated);
  return actor;
}
