import { useState } from 'preact/hooks';
import { account } from '../account/account.js';
import { ApiError } from '../api/client.js';
import { ErrorView, Loading, errorMessage, useTitle } from '../ui/common.js';
import { t, tn } from '../i18n/index.js';
import type { LiveQuestion, QaSort } from './qa-api.js';
import { paths } from '../router.js';
import { useStore } from '../store.js';
import { Notice, QaStateBadge, QuestionForm, QuestionMeta, QuestionNotes, QuestionSection, VoteButton } from './parts.js';
import type { QaModel } from './qa-model.js';
import { PollsSection } from './PollParts.js';
import { useLiveQa, type LiveQa } from './use-live-qa.js';

/**
 * The attendee's view of a session's live Q&A, phone first: the question
 * being answered on top, the form to ask, then the questions by popularity
 * or time, with one's own marked and editable until answered.
 */
export function LiveQaPage({ slug }: { slug: string }) {
  const live = useLiveQa(slug);
  const [sort, setSort] = useState<QaSort>('popular');
  const [notice, setNotice] = useState<string | null>(null);
  const m = live.model;
  useTitle(m ? `${t('qa.title')} · ${m.info.sessionTitle}` : t('qa.title'));
  if (live.error) return <ErrorView error={live.error} retry={live.reload} />;
  if (!m) return <Loading />;
  const info = m.info;
  const highlighted = m.highlighted();
  // Moderators see every state; here they see what attendees see (their queue is on the moderation page).
  const shown = (q: LiveQuestion) => !q.highlighted && (m.mine.has(q.id) || q.state === 'approved' || q.state === 'answered' || q.carriedOver !== null);
  const open = m.list((q) => shown(q) && q.state !== 'answered', sort);
  const answered = m.list((q) => shown(q) && q.state === 'answered', 'recent');
  const item = (q: LiveQuestion) => <AttendeeQuestion key={q.id} q={q} live={live} model={m} onError={(e) => setNotice(errorMessage(e))} />;

  return (
    <article class="page qa-page" data-live={live.subscribed ? 'subscribed' : 'pending'}>
      <nav class="breadcrumbs" aria-label={t('nav.breadcrumbs')}>
        <a href={paths.session(info.sessionSlug || slug)}>{t('qa.back')}</a>
      </nav>
      <header class="page-header qa-header">
        <p class="meta">
          <QaStateBadge info={info} /> <span>{info.sessionTitle}</span>
        </p>
        <h1 tabIndex={-1}>{t('qa.title')}</h1>
        {info.viewer.canModerate && (
          <p class="qa-links">
            <a href={paths.qa(slug, 'moderate')}>{t('qa.entryModerate')}</a> · <a href={paths.qa(slug, 'present')}>{t('qa.entryPresent')}</a>
          </p>
        )}
      </header>

      {highlighted && (
        <section class="qa-now" aria-labelledby="qa-now-h" id={`question-${highlighted.id}`}>
          <h2 id="qa-now-h">{t('qa.nowAnswering')}</h2>
          <p class="qa-now-text">{highlighted.body}</p>
          <QuestionMeta q={highlighted} mine={m.mine.has(highlighted.id)} moderator={false} onScreen />
          <p class="qa-now-votes">{tn('qa.votes', highlighted.voteCount)}</p>
        </section>
      )}

      {(info.sessionState === 'ended' || info.handOverForum) && (
        <p class="panel qa-ended">
          {info.sessionState !== 'ended' ? t('qa.handedOver') : info.handOverForum ? t('qa.ended') : t('qa.endedNothingCarried')}{' '}
          {info.handOverForum && <a href={paths.forum(info.handOverForum.id)}>{t('qa.forumLink')}</a>}
        </p>
      )}

      <PollsSection live={live} />

      <AskPanel live={live} model={m} slug={slug} />

      <Notice text={notice} onClose={() => setNotice(null)} />

      <QuestionSection
        id="questions"
        title={t('qa.questions')}
        items={open}
        // While one is on screen, the list may be empty without inviting "be the first".
        empty={highlighted ? undefined : t('qa.noQuestions')}
        render={item}
        controls={
          <div class="segmented" role="group" aria-label={t('qa.sortBy')}>
            {(['popular', 'recent'] as const).map((s) => (
              <button key={s} type="button" aria-pressed={sort === s} onClick={() => setSort(s)}>
                {t(s === 'popular' ? 'qa.sortPopular' : 'qa.sortRecent')}
              </button>
            ))}
          </div>
        }
      />
      <QuestionSection id="answered" title={t('qa.answeredList')} items={answered} render={item} hideWhenEmpty />
    </article>
  );
}

function AttendeeQuestion({ q, live, model, onError }: { q: LiveQuestion; live: LiveQa; model: QaModel; onError(e: unknown): void }) {
  const [editing, setEditing] = useState(false);
  const mine = model.mine.has(q.id);
  const changeable = mine && (q.state === 'pending' || q.state === 'approved') && !q.highlighted;
  const canVote = model.info.viewer.canAsk && (q.state === 'approved' || q.state === 'answered');
  const withdraw = async () => {
    if (!window.confirm(t('qa.confirmWithdraw'))) return;
    try {
      await live.withdraw(q.id);
    } catch (e) {
      onError(e);
    }
  };
  return (
    <li id={`question-${q.id}`} class={`qa-question${mine ? ' is-mine' : ''} is-${q.state}`} data-question-id={q.id}>
      <div class="qa-question-main">
        <QuestionMeta q={q} mine={mine} moderator={model.moderator} />
        {editing ? (
          <QuestionForm
            id={`qa-edit-${q.id}`}
            label={t('qa.edit')}
            submitLabel={t('qa.save')}
            max={model.info.limits.maxBodyLength}
            initial={q.body}
            autoFocus
            onSubmit={async (body) => {
              await live.edit(q.id, body);
              setEditing(false);
            }}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <p class="qa-text">{q.body}</p>
        )}
        <QuestionNotes q={q} />
        {changeable && !editing && (
          <p class="qa-own-actions">
            <button type="button" class="link-button" onClick={() => setEditing(true)}>
              {t('qa.edit')}
            </button>
            <button type="button" class="link-button danger" onClick={withdraw}>
              {t('qa.withdraw')}
            </button>
          </p>
        )}
      </div>
      {q.state !== 'pending' && q.state !== 'dismissed' && (
        <VoteButton
          q={q}
          voted={model.voted.has(q.id)}
          disabled={!canVote}
          onVote={(on) => {
            live.vote(q.id, on).catch(onError);
          }}
        />
      )}
    </li>
  );
}

/** Asking, or what stands in the way: sign in, join as a guest, the Q&A not open. */
function AskPanel({ live, model, slug }: { live: LiveQa; model: QaModel; slug: string }) {
  const me = useStore(account);
  const [anonymous, setAnonymous] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [nextAskAt, setNextAskAt] = useState<number | null>(null);
  const info = model.info;
  const viewer = info.viewer;
  const here = paths.qa(slug);

  // A closed Q&A is a record to read: no joining or signing in to ask; the debate goes on in the forum.
  if (info.sessionState === 'ended' && !viewer.canModerate) {
    return (
      <p class="panel qa-ask muted qa-readonly" role="status">
        {t('qa.endedReadOnly')} {info.handOverForum && <a href={paths.forum(info.handOverForum.id)}>{t('qa.forumLink')}</a>}
      </p>
    );
  }

  if (!viewer.canAsk) {
    const code = viewer.askRefusal?.code;
    if (code === 'unauthenticated' || (!viewer.accountId && !me)) {
      return (
        <section class="panel qa-ask" aria-labelledby="qa-ask-h">
          <h2 id="qa-ask-h">{t('qa.ask')}</h2>
          {info.state !== 'open' && <p>{info.state === 'not_open' ? t('qa.notStarted') : t('qa.closedText')}</p>}
          <p>{t('qa.signInToAsk')}</p>
          <p class="composer-actions">
            <a class="button" href={paths.signIn(here)}>
              {t('auth.signIn')}
            </a>
            <a class="button secondary" href={paths.signUp(here)}>
              {t('auth.signUp')}
            </a>
          </p>
          {info.allowGuests && <GuestJoin live={live} />}
        </section>
      );
    }
    const text = code === 'qa_not_open' || info.state !== 'open' ? (info.state === 'not_open' ? t('qa.notStarted') : t('qa.closedText')) : (viewer.askRefusal?.message ?? t('qa.closedText'));
    return (
      <p class="panel qa-ask muted" role="status">
        {text}
      </p>
    );
  }

  return (
    <section class="panel qa-ask" aria-labelledby="qa-ask-h">
      <h2 id="qa-ask-h">{t('qa.ask')}</h2>
      {viewer.guest && viewer.displayName && <p class="hint">{t('qa.guestAs', { name: viewer.displayName })}</p>}
      <QuestionForm
        id="qa-ask"
        label={t('qa.askLabel')}
        submitLabel={t('qa.askSubmit')}
        max={info.limits.maxBodyLength}
        waitUntil={nextAskAt}
        onSubmit={async (body, clientId) => {
          setSent(null);
          const q = await live.ask(body, anonymous, clientId);
          setSent(q.state === 'pending' ? t('qa.sentPending') : t('qa.sent'));
          // Slow mode (or the guests' gap): say at once when the next question may go.
          if (info.limits.minIntervalSeconds > 0 && !viewer.canModerate) setNextAskAt(Date.now() + info.limits.minIntervalSeconds * 1000);
        }}
      >
        <div class="qa-anonymous">
          <label>
            <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous((e.currentTarget as HTMLInputElement).checked)} aria-describedby="qa-anon-hint" />{' '}
            {t('qa.anonymous')}
          </label>
          <p id="qa-anon-hint" class="hint">
            {t('qa.anonymousHint')}
          </p>
        </div>
        {info.premoderation && <p class="hint">{t('qa.premoderated')}</p>}
        {info.slowModeSeconds > 0 && <p class="hint">{t('qa.slowMode', { n: info.slowModeSeconds })}</p>}
      </QuestionForm>
      {sent && (
        <p class="qa-sent" role="status">
          {sent}
        </p>
      )}
    </section>
  );
}

function GuestJoin({ live }: { live: LiveQa }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldError = error instanceof ApiError ? error.field('displayName') : undefined;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await live.joinAsGuest(name.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form class="qa-guest" onSubmit={submit} noValidate>
      <h3>{t('qa.guestJoin')}</h3>
      <p id="qa-guest-hint" class="hint">
        {t('qa.guestHint')}
      </p>
      <div class="field">
        <label for="qa-guest-name">{t('qa.guestName')}</label>
        <input
          id="qa-guest-name"
          value={name}
          maxLength={80}
          autoComplete="name"
          aria-describedby={`qa-guest-hint${error ? ' qa-guest-error' : ''}`}
          aria-invalid={error ? true : undefined}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      {error ? (
        <p id="qa-guest-error" class="form-error" role="alert">
          {fieldError ?? errorMessage(error)}
        </p>
      ) : null}
      <button type="submit" class="button secondary" disabled={busy || !name.trim()}>
        {t('qa.guestSubmit')}
      </button>
    </form>
  );
}
