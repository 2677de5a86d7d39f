import { useState } from 'preact/hooks';
import { forums } from '../api.js';
import { errorMessage } from '../ui/common.js';
import { tp } from './page-i18n.js';

/** A member proposes a question; it waits for a moderator's approval and shows in the agenda for its author, marked so. */
export function ProposeQuestionForm({ forumId, proposed }: { forumId: number; proposed: () => void }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      await forums.proposeQuestion(forumId, title.trim(), body);
      setTitle('');
      setBody('');
      setStatus(tp('propose.sent'));
      proposed();
    } catch (err) {
      setStatus(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel propose-question" aria-labelledby="propose-h">
      <h2 id="propose-h">{tp('propose.title')}</h2>
      <p class="muted">{tp('propose.intro')}</p>
      <form onSubmit={submit}>
        <div class="field">
          <label for="propose-title">{tp('propose.questionLabel')}</label>
          <input id="propose-title" type="text" required maxLength={300} value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="propose-body">{tp('propose.bodyLabel')}</label>
          <textarea id="propose-body" rows={3} value={body} onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)} />
        </div>
        <p role="status" class="muted">
          {status}
        </p>
        <button type="submit" class="button" disabled={busy || title.trim() === ''}>
          {tp('propose.submit')}
        </button>
      </form>
    </section>
  );
}
