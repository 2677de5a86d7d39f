import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import { ErrorView, useTitle } from '../ui/common.js';
import { connection } from '../connection-state.js';
import { t, tn } from '../i18n/index.js';
import { qa } from './qa-api.js';
import { paths } from '../router.js';
import { useStore } from '../store.js';
import { askerLabel, offsetClock } from './parts.js';
import { PollResultsView } from './PollParts.js';
import { useLiveQa } from './use-live-qa.js';

const TOP_QUESTIONS = 5;

/**
 * The presenter view, for a projector or a shared screen, with no page
 * frame: a poll's results when a moderator puts one on screen, else the
 * question being answered, large, else the top questions by votes with
 * live counts; a QR code (made here, in the browser) and a short join code
 * for `/j/CODE`; the time into the session. Needs no sign-in; a moderator
 * watching it drives it from the keyboard: N next question, C clear, P
 * show or take off the latest poll.
 */
export function PresenterPage({ slug }: { slug: string }) {
  const live = useLiveQa(slug);
  const state = useStore(connection);
  const [fullscreen, setFullscreen] = useState(false);
  const [code, setCode] = useState<string | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const m = live.model;
  useTitle(m ? `${t('qa.entryPresent')} · ${m.info.sessionTitle}` : t('qa.entryPresent'));

  useEffect(() => {
    const update = () => setFullscreen(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', update);
    document.documentElement.classList.add('presenting');
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      document.removeEventListener('fullscreenchange', update);
      document.documentElement.classList.remove('presenting');
      clearInterval(tick);
    };
  }, []);

  // The join code: the Q&A's, or made now when a moderator opens the screen.
  const known = m?.info.joinCode ?? null;
  const canModerate = m?.info.viewer.canModerate ?? false;
  useEffect(() => {
    if (known) setCode(known);
    else if (canModerate) qa.joinCode(slug).then((r) => setCode(r.code), () => undefined);
  }, [known, canModerate, slug]);
  const joinUrl = `${window.location.origin}${code ? paths.join(code) : paths.qa(slug)}`;
  useEffect(() => {
    QRCode.toDataURL(joinUrl, { margin: 2, width: 512, errorCorrectionLevel: 'M' }).then(setQr, () => setQr(null));
  }, [joinUrl]);

  // Keyboard control for moderators (ignored while typing in a field).
  useEffect(() => {
    if (!m || !canModerate) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.target instanceof HTMLElement && e.target.closest('input, textarea, select'))) return;
      const key = e.key.toLowerCase();
      const current = m.highlighted();
      if (key === 'n') {
        const next = m.list((q) => q.state === 'approved' && q.id !== current?.id, 'popular')[0];
        if (next) void live.moderate(next.id, { action: 'highlight' }).catch(() => undefined);
      } else if (key === 'c' && current) {
        void live.moderate(current.id, { action: 'unhighlight' }).catch(() => undefined);
      } else if (key === 'p') {
        const shown = live.polls.onScreen();
        const latest = live.polls.list().filter((p) => p.state !== 'draft').at(-1);
        if (shown) void live.actOnPoll(shown.id, 'unshow').catch(() => undefined);
        else if (latest) void live.actOnPoll(latest.id, 'show').catch(() => undefined);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [m, canModerate, live]);

  if (live.error) {
    return (
      <main class="presenter" id="main">
        <ErrorView error={live.error} retry={live.reload} />
      </main>
    );
  }
  const q = m?.highlighted() ?? null;
  const poll = live.polls.onScreen();
  const top = m ? m.list((x) => x.state === 'approved', 'popular').slice(0, TOP_QUESTIONS) : [];
  const clock = m?.info.startedAt ? offsetClock(m.info.startedAt, now) : null;

  return (
    <main class="presenter" id="main" data-live={live.subscribed ? 'subscribed' : 'pending'}>
      <header class="presenter-top">
        <h1 class="presenter-session">{m?.info.sessionTitle ?? ''}</h1>
        {clock && (
          <span class="presenter-clock" title={t('qa.present.clock')}>
            <span class="sr-only">{t('qa.present.clock')}: </span>
            {clock}
          </span>
        )}
        {state === 'disconnected' && (
          <span class="presenter-offline" role="status">
            <span class="spinner" aria-hidden="true" /> {t('qa.disconnected')}
          </span>
        )}
        {!fullscreen && document.fullscreenEnabled && (
          <button type="button" class="presenter-fullscreen" onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>
            {t('qa.present.fullscreen')}
          </button>
        )}
      </header>
      <section class="presenter-stage" aria-live="polite" aria-atomic="true">
        {poll ? (
          <figure class="presenter-poll" data-poll-id={poll.id}>
            <p class="presenter-text">{poll.prompt}</p>
            <PollResultsView poll={poll} results={live.polls.results.get(poll.id) ?? null} large />
          </figure>
        ) : q ? (
          <figure class="presenter-question" data-question-id={q.id}>
            <p class="presenter-label">{t('qa.nowAnswering')}</p>
            <blockquote class="presenter-text">{q.body}</blockquote>
            <figcaption class="presenter-meta">
              <span>{askerLabel(q, false)}</span>
              <span aria-hidden="true"> · </span>
              <span class="presenter-votes">{tn('qa.votes', q.voteCount)}</span>
            </figcaption>
          </figure>
        ) : top.length ? (
          <section class="presenter-top-questions" aria-labelledby="presenter-top-h">
            <h2 id="presenter-top-h" class="presenter-label">{t('qa.present.top')}</h2>
            <ol>
              {top.map((x) => (
                <li key={x.id} data-question-id={x.id} data-votes={x.voteCount}>
                  <span class="presenter-top-votes">{x.voteCount}</span> <span>{x.body}</span>
                </li>
              ))}
            </ol>
          </section>
        ) : (
          <p class="presenter-waiting">{t('qa.present.waiting')}</p>
        )}
      </section>
      <footer class="presenter-foot">
        {qr && <img class="presenter-qr" src={qr} alt={t('qa.present.qr')} width={160} height={160} />}
        <div>
          <p>{t('qa.present.join', { url: joinUrl.replace(/^https?:\/\//, '') })}</p>
          {code && <p class="presenter-code">{t('qa.present.code', { code })}</p>}
          {canModerate && <p class="hint">{t('qa.present.keys')}</p>}
        </div>
      </footer>
    </main>
  );
}
