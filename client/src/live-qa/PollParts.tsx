import { useState } from 'preact/hooks';
import { errorMessage } from '../ui/common.js';
import { formatNumber, t, type MessageKey } from '../i18n/index.js';
import { POLL_KINDS, type Poll, type PollAnswer, type PollKind, type PollResults } from './polls.js';
import type { LiveQa } from './use-live-qa.js';

const KIND_KEY: Record<PollKind, MessageKey> = {
  single: 'poll.kind.single', multiple: 'poll.kind.multiple', rating: 'poll.kind.rating', word_cloud: 'poll.kind.word_cloud', open_text: 'poll.kind.open_text',
};

/** A poll's results: bars for choices and ratings, a cloud of words sized by count, approved texts. */
export function PollResultsView({ poll, results, large = false }: { poll: Poll; results: PollResults | null; large?: boolean }) {
  if (!results) return <p class="hint">{t(poll.resultsHidden ? 'poll.hiddenResults' : 'poll.noResults')}</p>;
  const bars = results.options?.map((o) => ({ label: o.label, count: o.count })) ?? results.ratings?.map((r) => ({ label: '★'.repeat(r.value), count: r.count }));
  const max = Math.max(1, ...(bars ?? []).map((b) => b.count), ...(results.words ?? []).map((w) => w.count));
  return (
    <div class={`poll-results${large ? ' poll-results-large' : ''}`} data-poll-id={poll.id} data-total={results.total}>
      <p class="meta poll-total">{t('poll.answers', { n: formatNumber(results.total) })}{results.average != null && ` · ${t('poll.average', { n: results.average })}`}</p>
      {bars && (
        <ul class="poll-bars">
          {bars.map((b) => (
            <li key={b.label} data-count={b.count}>
              <span class="poll-bar-label">{b.label}</span>
              <span class="poll-bar" style={{ width: `${(b.count / max) * 100}%` }} aria-hidden="true" />
              <span class="poll-bar-count">{formatNumber(b.count)}</span>
            </li>
          ))}
        </ul>
      )}
      {results.words && (
        <p class="poll-cloud">
          {results.words.map((w) => (
            <span key={w.key} class="poll-word" data-count={w.count} style={{ fontSize: `${1 + (w.count / max) * 1.5}em` }}>
              {w.word} <span class="sr-only">({w.count})</span>
            </span>
          ))}
        </p>
      )}
      {results.texts && (
        <ul class="poll-texts">
          {results.texts.map((x) => (
            <li key={x.answerId} data-review={x.review ?? 'approved'}>{x.text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The attendee's answer to an open poll; sending again changes it. */
export function PollAnswerForm({ poll, answer, live }: { poll: Poll; answer: PollAnswer | null; live: LiveQa }) {
  const [choices, setChoices] = useState<number[]>(answer?.choices ?? []);
  const [text, setText] = useState(answer?.text ?? '');
  const [error, setError] = useState<string | null>(null);
  const send = async (value: { choices?: number[]; rating?: number; text?: string }) => {
    try {
      setError(null);
      await live.answerPoll(poll.id, value);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const toggle = (i: number) => setChoices(poll.kind === 'single' ? [i] : choices.includes(i) ? choices.filter((c) => c !== i) : [...choices, i]);
  return (
    <form class="poll-answer" onSubmit={(e) => { e.preventDefault(); void send(poll.kind === 'single' || poll.kind === 'multiple' ? { choices } : { text: text.trim() }); }}>
      {poll.kind === 'rating' ? (
        <div class="segmented" role="group" aria-label={poll.prompt}>
          {[1, 2, 3, 4, 5].map((n) => (
            <button key={n} type="button" aria-pressed={answer?.rating === n} onClick={() => void send({ rating: n })}>{n}</button>
          ))}
        </div>
      ) : poll.kind === 'single' || poll.kind === 'multiple' ? (
        <fieldset>
          <legend class="sr-only">{poll.prompt}</legend>
          {poll.options.map((label, i) => (
            <label key={i} class="poll-option">
              <input type={poll.kind === 'single' ? 'radio' : 'checkbox'} name={`poll-${poll.id}`} checked={choices.includes(i)} onChange={() => toggle(i)} /> {label}
            </label>
          ))}
        </fieldset>
      ) : (
        <label>
          <span class="sr-only">{poll.prompt}</span>
          <input type="text" value={text} maxLength={poll.kind === 'word_cloud' ? 40 : 300} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </label>
      )}
      {poll.kind !== 'rating' && (
        <button type="submit" disabled={poll.kind === 'single' || poll.kind === 'multiple' ? choices.length === 0 : text.trim() === ''}>
          {t(answer ? 'poll.change' : 'poll.send')}
        </button>
      )}
      {answer && <p class="hint" role="status">{t(answer.review === 'pending' ? 'poll.sentPending' : 'poll.sent')}</p>}
      {error && <p class="field-error" role="alert">{error}</p>}
    </form>
  );
}

/** The launched polls, for attendees: answer the open ones, see the results they may see. */
export function PollsSection({ live }: { live: LiveQa }) {
  const shown = live.polls.list().filter((p) => p.state !== 'draft');
  if (!shown.length) return null;
  const canAnswer = live.model?.info.viewer.canAsk ?? false;
  return (
    <section class="panel qa-polls" aria-labelledby="qa-polls-h">
      <h2 id="qa-polls-h">{t('poll.title')}</h2>
      {shown.reverse().map((p) => (
        <article key={p.id} class="poll" data-poll-id={p.id} data-state={p.state}>
          <h3>{p.prompt}</h3>
          <p class="meta">{t(KIND_KEY[p.kind])} · {t(p.state === 'open' ? 'poll.open' : 'poll.closed')}</p>
          {p.state === 'open' && canAnswer && <PollAnswerForm poll={p} answer={live.polls.answers.get(p.id) ?? null} live={live} />}
          <PollResultsView poll={p} results={live.polls.results.get(p.id) ?? null} />
        </article>
      ))}
    </section>
  );
}

/** Moderators: prepare polls, launch and close them, show one on the presenter screen, curate answers. */
export function PollsModeration({ live }: { live: LiveQa }) {
  const [kind, setKind] = useState<PollKind>('single');
  const [prompt, setPrompt] = useState('');
  const [options, setOptions] = useState('');
  const [hidden, setHidden] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<void>) => {
    try {
      setError(null);
      await work();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const create = (e: Event) => {
    e.preventDefault();
    const choice = kind === 'single' || kind === 'multiple';
    void run(async () => {
      await live.createPoll({ kind, prompt: prompt.trim(), ...(choice ? { options: options.split('\n').map((o) => o.trim()).filter(Boolean) } : {}), resultsHidden: hidden });
      setPrompt('');
      setOptions('');
    });
  };
  const act = (p: Poll, action: Parameters<LiveQa['actOnPoll']>[1], extra?: { word?: string; answerId?: number }) => void run(() => live.actOnPoll(p.id, action, extra));
  return (
    <section class="panel qa-polls-mod" aria-labelledby="qa-polls-mod-h">
      <h2 id="qa-polls-mod-h">{t('poll.title')}</h2>
      <form class="poll-new" onSubmit={create}>
        <label>
          {t('poll.kind')}{' '}
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as PollKind)}>
            {POLL_KINDS.map((k) => <option key={k} value={k}>{t(KIND_KEY[k])}</option>)}
          </select>
        </label>
        <label>
          {t('poll.prompt')} <input type="text" name="prompt" value={prompt} maxLength={300} onInput={(e) => setPrompt((e.target as HTMLInputElement).value)} />
        </label>
        {(kind === 'single' || kind === 'multiple') && (
          <label>
            {t('poll.options')} <textarea name="options" rows={4} value={options} onInput={(e) => setOptions((e.target as HTMLTextAreaElement).value)} />
          </label>
        )}
        <label class="poll-hidden">
          <input type="checkbox" checked={hidden} onChange={(e) => setHidden((e.target as HTMLInputElement).checked)} /> {t('poll.hideResults')}
        </label>
        <button type="submit" disabled={!prompt.trim()}>{t('poll.prepare')}</button>
      </form>
      {error && <p class="field-error" role="alert">{error}</p>}
      <ul class="poll-list">
        {live.polls.list().map((p) => (
          <li key={p.id} class="poll" data-poll-id={p.id} data-state={p.state}>
            <h3>{p.prompt}</h3>
            <p class="meta">{t(KIND_KEY[p.kind])} · {t(p.state === 'draft' ? 'poll.draft' : p.state === 'open' ? 'poll.open' : 'poll.closed')}{p.onScreen && ` · ${t('poll.onScreen')}`}</p>
            <p class="poll-actions">
              {p.state !== 'open' && <button type="button" onClick={() => act(p, 'launch')}>{t('poll.launch')}</button>}
              {p.state === 'open' && <button type="button" onClick={() => act(p, 'close')}>{t('poll.close')}</button>}
              {p.state !== 'draft' && <button type="button" class="secondary" onClick={() => act(p, p.onScreen ? 'unshow' : 'show')}>{t(p.onScreen ? 'poll.unshow' : 'poll.show')}</button>}
              <button type="button" class="secondary" onClick={() => act(p, p.resultsHidden ? 'reveal' : 'hide')}>{t(p.resultsHidden ? 'poll.reveal' : 'poll.hide')}</button>
            </p>
            <PollResultsView poll={p} results={live.polls.results.get(p.id) ?? null} />
            {p.kind === 'word_cloud' &&
              (live.polls.results.get(p.id)?.words ?? []).map((w) => (
                <button key={w.key} type="button" class="link" onClick={() => act(p, 'remove_word', { word: w.key })}>{t('poll.removeWord', { word: w.word })}</button>
              ))}
            {p.kind === 'open_text' &&
              (live.polls.results.get(p.id)?.texts ?? []).filter((x) => x.review === 'pending').map((x) => (
                <p key={x.answerId} class="poll-review">
                  {x.text} <button type="button" onClick={() => act(p, 'approve_text', { answerId: x.answerId })}>{t('poll.approve')}</button>{' '}
                  <button type="button" class="secondary" onClick={() => act(p, 'reject_text', { answerId: x.answerId })}>{t('poll.reject')}</button>
                </p>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
