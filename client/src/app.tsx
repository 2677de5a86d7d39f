import { useEffect, useRef } from 'preact/hooks';
import { LANGUAGES, type Language } from './api.js';
import { account, chooseLanguage, interfaceLanguage, signOut } from './account/account.js';
import { announcement } from './ui/announcer.js';
import { NotFound } from './ui/common.js';
import { LanguageOffer } from './ui/LanguageOffer.js';
import { HeaderSearch } from './search/HeaderSearch.js';
import { LazyPage } from './ui/LazyPage.js';
import { NotificationBell } from './notifications/NotificationBell.js';
import { reauthenticateLive } from './ui/use-follow.js';
import { caughtUp, connection, everConnected } from './connection-state.js';
import { nativeLanguageName, t } from './i18n/index.js';
import { qaPages } from './live-qa/lazy.js';
import { SignInPage, SignUpPage } from './account/AuthPages.js';
import { ForumPage } from './threads/ForumPage.js';
import { InvitePage } from './account/InvitePage.js';
import { SessionPage } from './sessions/SessionPage.js';
import { SessionsPage } from './sessions/SessionsPage.js';
import { ThreadPage } from './threads/ThreadPage.js';
import { matchRoute, navigate, paths, useLocation, type Route } from './router.js';
import { useStore } from './store.js';

export function App() {
  // Re-render everything when the language changes.
  useStore(interfaceLanguage);
  const loc = useLocation();
  const route = matchRoute(loc.path);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a navigation, move focus to the new page's heading so screen readers announce it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    requestAnimationFrame(() => {
      if (loc.hash) return;
      const heading = main.current?.querySelector<HTMLElement>('h1');
      (heading ?? main.current)?.focus({ preventScroll: true });
    });
  }, [loc.path]);

  // The presenter view goes on a projector: no header, footer or banners.
  if (route.name === 'qa' && route.view === 'present') return <Page route={route} key={pageKey(route)} />;

  return (
    <div class="shell">
      <a class="skip-link" href="#main" data-native>
        {t('app.skip')}
      </a>
      <Header />
      <LanguageOffer />
      <ConnectionBanner />
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} key={pageKey(route)} />
      </main>
      <footer class="site-footer">
        <p>
          {t('app.name')} — {t('app.tagline')}
        </p>
      </footer>
      <LiveRegion />
    </div>
  );
}

function pageKey(route: Route): string {
  return JSON.stringify(route);
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'sessions':
      return <SessionsPage />;
    case 'session':
      return <SessionPage slug={route.slug} />;
    case 'forum':
      return <ForumPage forumId={route.forumId} />;
    case 'thread':
      return <ThreadPage forumId={route.forumId} questionId={route.questionId} />;
    case 'qa':
      return <LazyPage load={qaPages[route.view]} props={{ slug: route.slug }} />;
    case 'moderationQueue':
      return <LazyPage load={() => import('./moderation/ModerationQueuePage.js').then((m) => m.ModerationQueuePage)} props={{ forumId: route.forumId }} />;
    case 'moderationRecord':
      return <LazyPage load={() => import('./moderation/ModerationRecordPage.js').then((m) => m.ModerationRecordPage)} props={{ forumId: route.forumId }} />;
    case 'signin':
      return <SignInPage />;
    case 'signup':
      return <SignUpPage />;
    case 'invite':
      return <InvitePage token={route.token} />;
    case 'join':
      return <LazyPage load={qaPages.join} props={{ code: route.code }} />;
    case 'search':
      return <LazyPage load={() => import('./search/SearchPage.js').then((m) => m.SearchPage)} props={{}} />;
    case 'person':
      return <LazyPage load={() => import('./people/PersonPage.js').then((m) => m.PersonPage)} props={{ id: route.id }} />;
    case 'account':
      return <LazyPage load={() => import('./account/AccountPage.js').then((m) => m.AccountPage)} props={{}} />;
    case 'accountNotifications':
      return <LazyPage load={() => import('./account/NotificationsPages.js').then((m) => m.AccountNotificationsPage)} props={{}} />;
    case 'unsubscribe':
      return <LazyPage load={() => import('./account/NotificationsPages.js').then((m) => m.UnsubscribePage)} props={{}} />;
    case 'forgotPassword':
      return <LazyPage load={() => import('./account/NotificationsPages.js').then((m) => m.ForgotPasswordPage)} props={{}} />;
    case 'resetPassword':
      return <LazyPage load={() => import('./account/NotificationsPages.js').then((m) => m.ResetPasswordPage)} props={{}} />;
    case 'verifyEmail':
      return <LazyPage load={() => import('./account/NotificationsPages.js').then((m) => m.VerifyEmailPage)} props={{}} />;
    case 'outbox':
      return <LazyPage load={() => import('./account/NotificationsPages.js').then((m) => m.OutboxPage)} props={{}} />;
    default:
      return <NotFound />;
  }
}

function Header() {
  const me = useStore(account);
  const lang = useStore(interfaceLanguage);
  const loc = useLocation();
  const here = loc.path + (loc.search.toString() ? `?${loc.search}` : '');
  const onAuthPage = loc.path === '/signin' || loc.path === '/signup';
  const leave = async () => {
    await signOut().catch(() => undefined);
    reauthenticateLive();
    navigate(paths.sessions());
  };
  return (
    <header class="site-header">
      <div class="bar">
        <a class="brand" href="/">
          <span class="logo" aria-hidden="true">
            ◎
          </span>{' '}
          {t('app.name')}
        </a>
        <nav aria-label={t('nav.main')} class="main-nav">
          <a href={paths.sessions()} aria-current={loc.path === '/' ? 'page' : undefined}>
            {t('nav.sessions')}
          </a>
        </nav>
        <div class="tools">
          <HeaderSearch />
          <label class="lang">
            <span class="sr-only">{t('lang.label')}</span>
            <svg class="lang-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
              <path
                fill="currentColor"
                d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm6.9 6h-2.9a15.7 15.7 0 0 0-1.4-3.6A8 8 0 0 1 18.9 8ZM12 4a14 14 0 0 1 1.9 4h-3.8A14 14 0 0 1 12 4ZM4.3 14a8.2 8.2 0 0 1 0-4h3.4a16.5 16.5 0 0 0 0 4H4.3Zm.8 2h2.9a15.7 15.7 0 0 0 1.4 3.6A8 8 0 0 1 5.1 16ZM8 8H5.1a8 8 0 0 1 4.3-3.6A15.7 15.7 0 0 0 8 8Zm4 12a14 14 0 0 1-1.9-4h3.8A14 14 0 0 1 12 20Zm2.3-6H9.7a14.7 14.7 0 0 1 0-4h4.6a14.7 14.7 0 0 1 0 4Zm.3 5.6a15.7 15.7 0 0 0 1.4-3.6h2.9a8 8 0 0 1-4.3 3.6ZM16.3 14a16.5 16.5 0 0 0 0-4h3.4a8.2 8.2 0 0 1 0 4h-3.4Z"
              />
            </svg>
            <select value={lang} onChange={(e) => chooseLanguage((e.currentTarget as HTMLSelectElement).value as Language)} aria-label={t('lang.label')}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {nativeLanguageName(l)}
                </option>
              ))}
            </select>
          </label>
          {me ? (
            <span class="who">
              <NotificationBell me={me} />
              <a class="name" href={paths.account()} title={t('auth.signedInAs', { name: me.displayName })}>
                {me.displayName}
              </a>
              <button type="button" class="button small secondary" onClick={leave}>
                {t('auth.signOut')}
              </button>
            </span>
          ) : me === null && !onAuthPage ? (
            <span class="who">
              <a class="button small" href={paths.signIn(here !== '/' ? here : undefined)}>
                {t('auth.signIn')}
              </a>
              <a class="button small secondary hide-narrow" href={paths.signUp(here !== '/' ? here : undefined)}>
                {t('auth.signUp')}
              </a>
            </span>
          ) : null}
        </div>
      </div>
    </header>
  );
}

function ConnectionBanner() {
  const state = useStore(connection);
  const ever = useStore(everConnected);
  const back = useStore(caughtUp);
  const onQa = matchRoute(useLocation().path).name === 'qa';
  const down = ever && state === 'disconnected';
  return (
    <div class="banner-slot" role="status">
      {down ? (
        <div class="banner banner-offline" data-testid="offline-banner">
          <span class="spinner" aria-hidden="true" /> {t(onQa ? 'qa.disconnected' : 'live.disconnected')}
        </div>
      ) : back && state === 'connected' ? (
        <div class="banner banner-online">{t(onQa ? 'qa.reconnected' : 'live.reconnected')}</div>
      ) : null}
    </div>
  );
}

function LiveRegion() {
  const text = useStore(announcement);
  return (
    <div class="sr-only" aria-live="polite" aria-atomic="true" id="announcer">
      {text}
    </div>
  );
}
