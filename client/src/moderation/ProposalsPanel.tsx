import { useEffect, useState } from 'preact/hooks';
import type { Question } from '../api.js';
import { ServerHtml, errorMessage } from '../ui/common.js';
import { formatRelative } from '../i18n/index.js';
import { moderation } from './moderation-api.js';
import { tp } from './page-i18n.js';

/**
 * Members' proposed questions awaiting approval, for the forum's moderators:
 * approve (published to the forum's readers) or reject with a reason (shown
 * to its author). `version` changes when the queue changed live.
 */
export function ProposalsPanel({ forumId, version }: { forumId: number; version: number }) {
  const [proposals, setProposals] = useState<Question[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const load = () => moderation.proposals(forumId).then(setProposals, (e) => setStatus(errorMessage(e)));
  useEffect(() => {
    load();
  }, [forumId, version]);

  return (
    <section class="panel proposals" aria-labelledby="proposals-h">
      <h2 id="proposals-h">{tp('proposals.title')}</h2>
      <p role="status" class="muted">
        {status}
      </p>
      {!proposals ? null : proposals.length === 0 ? (
        <p class="empty">{tp('proposals.none')}</p>
      ) : (
        <ul class="plain">
          {proposals.map((q) => (
            <Proposal key={q.id} question={q} done={(message) => (setStatus(message), load())} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Proposal({ question, done }: { question: Question; done: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await moderation.act(approve ? { act: 'question.approve', questionId: question.id } : { act: 'question.reject', questionId: question.id, reason: reason.trim() });
      done(tp(approve ? 'proposals.approved' : 'proposals.rejected', { title: question.title }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const reasonId = `proposal-${question.id}-reason`;
  return (
    <li class="proposal" data-question-id={question.id}>
      <h3>{question.title}</h3>
      <p class="muted">{tp('proposals.by', { name: question.author?.displayName ?? '—', when: formatRelative(question.createdAt) })}</p>
      {question.bodyHtml && <ServerHtml html={question.bodyHtml} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          decide(false);
        }}
      >
        <button type="button" class="button" disabled={busy} onClick={() => decide(true)}>
          {tp('proposals.approve')}
        </button>
        <div class="field">
          <label for={reasonId}>{tp('proposals.reason')}</label>
          <input id={reasonId} type="text" required maxLength={500} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="button secondary" disabled={busy || reason.trim() === ''}>
          {tp('proposals.reject')}
        </button>
        {error && <p role="alert">{error}</p>}
      </form>
    </li>
  );
}
