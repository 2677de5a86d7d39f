import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { Loading } from './common.js';

/**
 * A page whose code is loaded when it is first shown, so pages most readers
 * never open (moderation, live Q&A) stay out of the first page's JS. If the
 * code can't be fetched (offline at the wrong moment), it says so in the
 * reader's language and tries again when the browser is back online, or on
 * request; a second failure reloads the page (some browsers remember a failed
 * module import until then).
 */
export function LazyPage<P extends object>({ load, props }: { load: () => Promise<FunctionComponent<P>>; props: P }) {
  const [state, setState] = useState<{ page?: FunctionComponent<P>; failed?: number }>({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (page) => live && setState({ page }),
      () => {
        if (!live) return;
        if (attempt > 0 && navigator.onLine) location.reload();
        else setState({ failed: attempt });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  useEffect(() => {
    if (state.failed === undefined) return;
    const again = () => setAttempt((n) => n + 1);
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [state.failed]);
  if (state.failed !== undefined)
    return (
      <section class="panel error-panel" role="alert" data-testid="lazy-failed">
        <h1 tabIndex={-1}>{t('lazy.failedTitle')}</h1>
        <p>{t(navigator.onLine ? 'lazy.failedOnline' : 'lazy.failedOffline')}</p>
        <button type="button" class="button" onClick={() => setAttempt((n) => n + 1)}>
          {t('error.retry')}
        </button>
      </section>
    );
  if (!state.page) return <Loading />;
  const Page = state.page;
  return <Page {...props} />;
}
