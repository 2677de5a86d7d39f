import { useEffect, useState } from 'preact/hooks';
import { ErrorView, useTitle } from '../components/common.js';
import { connection } from '../connection-state.js';
import { t, tn } from '../i18n/index.js';
import { paths } from '../router.js';
import { useStore } from '../store.js';
import { askerLabel } from './parts.js';
import { useLiveQa } from './use-live-qa.js';

/**
 * The presenter view, for a projector or a shared screen: the question being
 * answered, large and high-contrast, with no page frame; it follows the
 * moderator's highlight live. Needs no sign-in.
 */
export function PresenterPage({ slug }: { slug: string }) {
  const live = useLiveQa(slug);
  const state = useStore(connection);
  const [fullscreen, setFullscreen] = useState(false);
  const m = live.model;
  useTitle(m ? `${t('qa.entryPresent')} · ${m.info.sessionTitle}` : t('qa.entryPresent'));

  useEffect(() => {
    const update = () => setFullscreen(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', update);
    document.documentElement.classList.add('presenting');
    return () => {
      document.removeEventListener('fullscreenchange', update);
      document.documentElement.classList.remove('presenting');
    };
  }, []);

  if (live.error) {
    return (
      <main class="presenter" id="main">
        <ErrorView error={live.error} retry={live.reload} />
      </main>
    );
  }
  const q = m?.highlighted() ?? null;
  const askAt = `${window.location.host}${paths.qa(slug)}`;

  return (
    <main class="presenter" id="main" data-live={live.subscribed ? 'subscribed' : 'pending'}>
      <header class="presenter-top">
        <h1 class="presenter-session">{m?.info.sessionTitle ?? ''}</h1>
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
        {q ? (
          <figure class="presenter-question" data-question-id={q.id}>
            <p class="presenter-label">{t('qa.nowAnswering')}</p>
            <blockquote class="presenter-text">{q.body}</blockquote>
            <figcaption class="presenter-meta">
              <span>{askerLabel(q, false)}</span>
              <span aria-hidden="true"> · </span>
              <span class="presenter-votes">{tn('qa.votes', q.voteCount)}</span>
            </figcaption>
          </figure>
        ) : (
          <p class="presenter-waiting">{t('qa.present.waiting')}</p>
        )}
      </section>
      <footer class="presenter-foot">{t('qa.present.askAt', { url: askAt })}</footer>
    </main>
  );
}
