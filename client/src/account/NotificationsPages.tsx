import { useEffect, useState } from 'preact/hooks';
import { account } from './account.js';
import { auth } from '../api.js';
import { ApiError } from '../api/client.js';
import { ErrorView, Loading, errorMessage } from '../ui/common.js';
import { t, type MessageKey } from '../i18n/index.js';
import { MAIL_KINDS, notificationsApi, type MailFrequency, type MailKind, type MailPreferences } from '../notifications/notifications-api.js';
import { useLocation } from '../router.js';
import { useStore } from '../store.js';

const FREQUENCIES: MailFrequency[] = ['immediate', 'daily', 'weekly', 'none'];

/**
 * The member's notification and email settings, as its own component so the
 * general account settings page can show it too.
 */
export function NotificationPreferences() {
  const [prefs, setPrefs] = useState<MailPreferences | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    notificationsApi.mailPreferences().then(setPrefs, setError);
  }, []);
  const save = async (change: Parameters<typeof notificationsApi.setMailPreferences>[0]) => {
    setSaved(false);
    try {
      setPrefs(await notificationsApi.setMailPreferences(change));
      setSaved(true);
    } catch (e) {
      setError(e);
    }
  };
  if (error) return <ErrorView error={error} />;
  if (!prefs) return <Loading />;
  return (
    <section class="notification-preferences" data-testid="notification-preferences">
      <fieldset>
        <legend>{t('prefs.frequency')}</legend>
        {FREQUENCIES.map((f) => (
          <label key={f} class="choice">
            <input type="radio" name="frequency" value={f} checked={prefs.frequency === f} onChange={() => save({ frequency: f })} />
            {t(`prefs.${f}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <fieldset disabled={prefs.frequency === 'none'}>
        <legend>{t('prefs.kinds')}</legend>
        {MAIL_KINDS.map((k: MailKind) => (
          <label key={k} class="choice">
            <input type="checkbox" checked={prefs.kinds[k]} onChange={(e) => save({ kinds: { [k]: (e.currentTarget as HTMLInputElement).checked } })} />
            {t(`prefs.kind.${k}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <p role="status">{saved ? t('prefs.saved') : ''}</p>
    </section>
  );
}

export function AccountNotificationsPage() {
  const me = useStore(account);
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>{t('prefs.title')}</h1>
      {me ? <><EmailAddress verified={me.emailVerified} /><NotificationPreferences /></> : me === null ? <p>{t('prefs.signIn')}</p> : <Loading />}
    </div>
  );
}

/** Whether the account's address is confirmed, and a button that mails the confirmation link. */
function EmailAddress({ verified }: { verified: boolean }) {
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = () => auth.requestEmailVerification().then(() => setSent(true), (err) => setError(errorMessage(err)));
  return (
    <section class="panel" data-testid="email-address">
      {verified ? <p>{t('verify.verified')}</p> : sent ? <p role="status">{t('verify.sent')}</p> : (
        <>
          <p>{t('verify.unverified')}</p>
          {error ? <p role="alert">{error}</p> : null}
          <button type="button" class="button secondary" onClick={send}>{t('verify.send')}</button>
        </>
      )}
    </section>
  );
}

/** Where the confirmation mail's link leads: confirms the address on opening (signed out too). */
export function VerifyEmailPage() {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [state, setState] = useState<'working' | 'done' | 'bad'>('working');
  useEffect(() => {
    auth.confirmEmail(token).then(() => setState('done'), () => setState('bad'));
  }, [token]);
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>{t('verify.title')}</h1>
      {state === 'working' ? <Loading /> : <p role={state === 'done' ? 'status' : 'alert'}>{t(state === 'done' ? 'verify.done' : 'verify.bad')}</p>}
    </div>
  );
}

/** Where a mail's unsubscribe link leads: says what it stops, and stops it on one click (no sign-in needed). */
export function UnsubscribePage() {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const kind = search.get('kind') ?? '';
  const [state, setState] = useState<'ready' | 'done' | 'bad'>('ready');
  useEffect(() => {
    notificationsApi.describeUnsubscribe(token, kind).then((r) => !r.subscribed && setState('done'), () => setState('bad'));
  }, [token, kind]);
  const confirm = () => notificationsApi.unsubscribe(token, kind).then(() => setState('done'), () => setState('bad'));
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>{t('unsub.title')}</h1>
      {state === 'bad' ? <p>{t('unsub.bad')}</p> : state === 'done' ? <p role="status">{t('unsub.done')}</p> : (
        <p>
          {kind in { replies: 1, mentions: 1, watching: 1, moderation: 1, forum: 1, digest: 1 } ? t(`prefs.kind.${kind}` as MessageKey) : ''}{' '}
          <button type="button" class="button" onClick={confirm}>{t('unsub.confirm')}</button>
        </p>
      )}
    </div>
  );
}

/** Admins: the mails kept in the local outbox (no SMTP_URL). */
export function OutboxPage() {
  const [items, setItems] = useState<Awaited<ReturnType<typeof notificationsApi.outbox>>['items'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    notificationsApi.outbox().then((r) => setItems(r.items), setError);
  }, []);
  return (
    <div class="page">
      <h1 tabIndex={-1}>{t('outbox.title')}</h1>
      <p>{t('outbox.intro')}</p>
      {error ? <ErrorView error={error} /> : !items ? <Loading /> : items.length === 0 ? <p>{t('outbox.empty')}</p> : (
        <ul class="outbox">
          {items.map((m) => (
            <li key={m.id}>
              <details>
                <summary><strong>{m.subject}</strong> — {t('outbox.to')} {m.to} <time dateTime={m.createdAt}>{new Date(m.createdAt).toLocaleString()}</time></summary>
                <pre>{m.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Asks for a password reset link (the answer is the same for any address). */
export function ForgotPasswordPage() {
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget as HTMLFormElement).get('email') ?? '');
    try {
      await auth.requestPasswordReset(email);
      setSent(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>{t('reset.requestTitle')}</h1>
      {sent ? <p role="status">{t('reset.sent')}</p> : (
        <form class="panel form" onSubmit={submit}>
          <p>{t('reset.requestIntro')}</p>
          {error ? <p role="alert">{error}</p> : null}
          <label>
            {t('auth.email')} <input name="email" type="email" autocomplete="username" required />
          </label>
          <button type="submit" class="button">{t('reset.send')}</button>
        </form>
      )}
    </div>
  );
}

/** Where the mailed link leads: choose the new password. */
export function ResetPasswordPage() {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [state, setState] = useState<'form' | 'done' | 'bad'>('form');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget as HTMLFormElement).get('password') ?? '');
    try {
      await auth.confirmPasswordReset(token, password);
      setState('done');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_reset_token') setState('bad');
      else setError(errorMessage(err));
    }
  };
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>{t('reset.requestTitle')}</h1>
      {state === 'done' ? <p role="status">{t('reset.done')} <a href="/signin">{t('auth.signIn')}</a></p>
        : state === 'bad' ? <p role="alert">{t('reset.badLink')} <a href="/forgot-password">{t('reset.send')}</a></p> : (
          <form class="panel form" onSubmit={submit}>
            {error ? <p role="alert">{error}</p> : null}
            <label>
              {t('reset.newPassword')} <input name="password" type="password" autocomplete="new-password" required minLength={8} />
            </label>
            <p class="hint">{t('auth.passwordHint')}</p>
            <button type="submit" class="button">{t('reset.save')}</button>
          </form>
        )}
    </div>
  );
}
