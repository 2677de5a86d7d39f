import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { account } from '../account/account.js';
import { announce } from '../ui/announcer.js';
import { loadLive, reauthenticateLive } from '../ui/use-follow.js';
import { t } from '../i18n/index.js';
import { qa, type LiveQuestion, type ModerateInput, type QaSettings } from './qa-api.js';
import { useStore } from '../store.js';
import { QaModel, type QaChange } from './qa-model.js';
import { polls as pollsApi, PollsModel, type NewPoll, type PollAction } from './polls.js';

export interface LiveQa {
  model: QaModel | null;
  /** The Q&A's polls and their live results. */
  polls: PollsModel;
  error: unknown;
  /** The live stream is followed (events flow). */
  subscribed: boolean;
  reload(): void;
  ask(body: string, anonymous: boolean, clientId: string): Promise<LiveQuestion>;
  edit(id: number, body: string): Promise<void>;
  withdraw(id: number): Promise<void>;
  /** Optimistic: shown at once, then the server's count. Rejects (after undoing) when refused. */
  vote(id: number, on: boolean): Promise<void>;
  moderate(id: number, input: ModerateInput): Promise<void>;
  configure(settings: QaSettings): Promise<void>;
  handOver(): Promise<number>;
  joinAsGuest(name: string): Promise<void>;
  createPoll(input: NewPoll): Promise<void>;
  actOnPoll(pollId: number, action: PollAction, extra?: { word?: string; answerId?: number }): Promise<void>;
  answerPoll(pollId: number, answer: { choices?: number[]; rating?: number; text?: string }): Promise<void>;
}

/**
 * Loads a session's live Q&A and keeps it current: the list is read first
 * (with the stream position it was read at), then the stream is followed
 * from that position, so what changed in between is replayed, once. After a
 * resync, a sign-in or a guest join, it starts over.
 */
export function useLiveQa(slug: string, onChange?: (change: QaChange, model: QaModel) => void): LiveQa {
  const me = useStore(account);
  const [model, setModel] = useState<QaModel | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [subscribed, setSubscribed] = useState(false);
  const [, setVersion] = useState(0);
  const [generation, setGeneration] = useState(0);
  const rerender = useCallback(() => setVersion((v) => v + 1), []);
  const changed = useRef(onChange);
  changed.current = onChange;
  const current = useRef<QaModel | null>(null);
  const [pollsModel, setPollsModel] = useState(() => new PollsModel());

  const restart = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    setSubscribed(false);
    (async () => {
      try {
        // The list first: its `seq` is where the stream is followed from; the settings read after it are at least as new.
        const list = await qa.questions(slug, { sort: 'recent' });
        const info = await qa.get(slug);
        if (cancelled) return;
        const fresh = new QaModel(info, list.items, list.countsAsOf);
        const freshPolls = new PollsModel();
        freshPolls.load(await pollsApi.list(slug));
        if (cancelled) return;
        current.current = fresh;
        setModel(fresh);
        setPollsModel(freshPolls);
        setError(null);
        const live = await loadLive();
        if (cancelled) return;
        stop = live.followQa(info.sessionId, list.seq, {
          onEvent(e) {
            if (freshPolls.apply(e)) return rerender();
            const change = fresh.apply(e);
            if (change.kind === 'settings') refreshViewer(fresh);
            else if (change.kind === 'asked' && !change.mine) announce(fresh.moderator && change.question.state === 'pending' ? t('qa.mod.announceQueued') : t('qa.announceNew'));
            else if (change.kind === 'highlighted' && change.question) announce(t('qa.announceHighlight', { text: change.question.body }));
            else if (change.kind === 'answered') announce(t('qa.announceAnswered'));
            changed.current?.(change, fresh);
            rerender();
          },
          onVotes(counts) {
            if (fresh.applyCounts(counts).length > 0) rerender();
          },
          onPollResults(results) {
            if (freshPolls.applyResults(results)) rerender();
          },
          onSubscribed(_first, ack) {
            fresh.applyAckCounts(ack);
            freshPolls.applyResults(ack.pollResults);
            setSubscribed(true);
            rerender();
          },
          onResync: restart,
          onRefused: () => setSubscribed(false),
        });
      } catch (e) {
        if (!cancelled) setError(e);
      }
    })();
    const refreshViewer = (m: QaModel) => {
      qa.get(slug).then(
        (info) => {
          if (current.current !== m) return;
          m.info = { ...m.info, viewer: info.viewer, limits: info.limits };
          rerender();
        },
        () => undefined,
      );
    };
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [slug, me?.id, generation]);

  const need = (): QaModel => {
    if (!current.current) throw new Error('not loaded');
    return current.current;
  };

  return {
    model,
    polls: pollsModel,
    error,
    subscribed,
    reload: restart,
    async ask(body, anonymous, clientId) {
      const m = need();
      const q = await qa.ask(m.info.sessionId, body, anonymous, clientId);
      m.mine.add(q.id);
      m.fromList(q, null);
      rerender();
      return q;
    },
    async edit(id, body) {
      const m = need();
      m.fromList(await qa.edit(id, body), null);
      rerender();
    },
    async withdraw(id) {
      const m = need();
      m.fromList(await qa.withdraw(id), null);
      rerender();
    },
    async vote(id, on) {
      const m = need();
      const q = m.questions.get(id);
      if (!q) return;
      const before = { voted: m.voted.has(id), voteCount: q.voteCount };
      m.voteOptimistically(id, on);
      rerender();
      try {
        m.voteSettled(await qa.vote(id, on));
      } catch (e) {
        m.voteFailed(id, before);
        throw e;
      } finally {
        rerender();
      }
    },
    async moderate(id, input) {
      const m = need();
      const { question, into } = await qa.moderate(id, input);
      m.upsert(question, null);
      if (into) m.upsert(into, null);
      if (input.action === 'merge') m.questions.delete(id);
      if (input.action === 'highlight') m.highlight(question, null);
      else if (m.info.highlightedQuestionId === id && !question.highlighted) m.highlight(null, null);
      rerender();
    },
    async configure(settings) {
      const m = need();
      m.info = await qa.configure(m.info.sessionId, settings);
      rerender();
    },
    async handOver() {
      const m = need();
      const result = await qa.handOver(m.info.sessionId);
      m.info = { ...m.info, handOverForum: result.forum ?? m.info.handOverForum };
      rerender();
      return result.created.length;
    },
    async joinAsGuest(name) {
      const m = need();
      await qa.joinAsGuest(m.info.sessionId, name);
      // The socket shakes hands again with the guest's cookie; the Q&A is read again as the guest.
      reauthenticateLive();
      restart();
    },
    async createPoll(input) {
      pollsModel.upsert(await pollsApi.create(need().info.sessionId, input));
      rerender();
    },
    async actOnPoll(pollId, action, extra) {
      pollsModel.load([await pollsApi.act(pollId, action, extra)]);
      rerender();
    },
    async answerPoll(pollId, answer) {
      pollsModel.answers.set(pollId, await pollsApi.answer(pollId, answer));
      rerender();
    },
  };
}
