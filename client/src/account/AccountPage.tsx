import { useState } from 'preact/hooks';
import { LANGUAGES, type Language } from '../api.js';
import { account as me, refreshAccount } from './account.js';
import { Avatar } from '../ui/Avatar.js';
import { ErrorView, Loading, errorMessage, useAsync, useTitle } from '../ui/common.js';
import { formatDate, t, type MessageKey } from '../i18n/index.js';
import { account, person } from '../people/people-api.js';
import { paths } from '../router.js';
import { useStore } from '../store.js';

/** Account settings: profile, avatar, password, signed-in sessions and API tokens; notifications live on their own page. */
export function AccountPage() {
  useTitle(t('account.title'));
  const current = useStore(me);
  if (current === undefined) return <Loading />;
  if (current === null) {
    return (
      <div class="page">
        <h1 tabIndex={-1}>{t('account.title')}</h1>
        <p>
          <a class="button" href={paths.signIn(paths.account())}>{t('auth.signIn')}</a>
        </p>
      </div>
    );
  }
  return (
    <div class="page account-page">
      <header class="page-header">
        <h1 tabIndex={-1}>{t('account.title')}</h1>
        <p class="lede">{current.email}</p>
      </header>
      <ProfileSection accountId={current.id} />
      {/* Notification preferences: built on another branch (issue: notifications), reached from here. */}
      <section aria-labelledby="account-notifications" data-slot="notifications">
        <h2 id="account-notifications">{t('account.notifications')}</h2>
        <p>
          <a href={paths.accountNotifications()}>{t('account.notificationsLink')}</a>
        </p>
      </section>
      <PasswordSection />
      <SignInsSection />
    </div>
  );
}

function Status({ text, error }: { text: string | null; error: unknown }) {
  if (error) return <p class="form-error" role="alert">{errorMessage(error)}</p>;
  return text ? <p class="form-ok" role="status">{text}</p> : null;
}

function ProfileSection({ accountId }: { accountId: string }) {
  const current = useStore(me)!;
  const profile = useAsync(() => person(accountId), [accountId]);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (profile.error) return <ErrorView error={profile.error} retry={profile.reload} />;
  if (!profile.data) return <Loading />;
  const p = profile.data;
  const save = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    setError(null);
    try {
      await account.update({
        displayName: String(data.get('displayName') ?? '').trim(),
        organisation: String(data.get('organisation') ?? '').trim(),
        language: String(data.get('language')) as Language,
        bio: String(data.get('bio') ?? ''),
        languages: LANGUAGES.filter((l) => data.getAll('languages').includes(l)),
      });
      await refreshAccount();
      profile.reload();
      setSaved(t('account.saved'));
    } catch (err) {
      setError(err);
    }
  };
  const upload = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    setError(null);
    try {
      await account.setAvatar(file);
      profile.reload();
      setSaved(t('account.avatarSaved'));
    } catch (err) {
      setError(err);
    }
  };
  const removeAvatar = async () => {
    await account.removeAvatar().catch(setError);
    profile.reload();
  };
  return (
    <section aria-labelledby="account-profile">
      <h2 id="account-profile">{t('account.profile')}</h2>
      <div class="avatar-edit">
        <Avatar person={p} size={96} />
        <label class="field">
          <span>{t('account.avatar')}</span>
          <input type="file" name="avatar" accept="image/jpeg,image/png,image/webp,image/gif,image/avif" onChange={upload} />
        </label>
        {p.avatarUrl && (
          <button type="button" class="button link" onClick={removeAvatar}>{t('account.removeAvatar')}</button>
        )}
      </div>
      <form class="stack" onSubmit={save} key={JSON.stringify(p)}>
        <label class="field">
          <span>{t('auth.displayName')}</span>
          <input name="displayName" required maxLength={80} defaultValue={current.displayName} autocomplete="name" />
        </label>
        <label class="field">
          <span>{t('auth.organisation')}</span>
          <input name="organisation" maxLength={120} defaultValue={current.organisation ?? ''} autocomplete="organization" />
        </label>
        <label class="field">
          <span>{t('auth.language')}</span>
          <select name="language" defaultValue={current.language}>
            {LANGUAGES.map((l) => (
              <option value={l} key={l}>{t(`search.lang.${l}` as MessageKey)}</option>
            ))}
          </select>
        </label>
        <fieldset class="field">
          <legend>{t('account.languages')}</legend>
          {LANGUAGES.map((l) => (
            <label key={l} class="check">
              <input type="checkbox" name="languages" value={l} defaultChecked={p.languages.includes(l)} /> {t(`search.lang.${l}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <label class="field">
          <span>{t('account.bio')}</span>
          <textarea name="bio" maxLength={500} rows={3} defaultValue={p.bio} />
        </label>
        <button type="submit" class="button">{t('account.save')}</button>
        <Status text={saved} error={error} />
      </form>
      <p>
        <a href={paths.person(accountId)}>{t('account.viewProfile')}</a>
      </p>
    </section>
  );
}

function PasswordSection() {
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setError(null);
    try {
      await account.changePassword(String(data.get('currentPassword')), String(data.get('newPassword')));
      form.reset();
      setDone(t('account.passwordChanged'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="account-password">
      <h2 id="account-password">{t('account.password')}</h2>
      <form class="stack" onSubmit={submit}>
        <label class="field">
          <span>{t('account.currentPassword')}</span>
          <input type="password" name="currentPassword" required autocomplete="current-password" />
        </label>
        <label class="field">
          <span>{t('account.newPassword')}</span>
          <input type="password" name="newPassword" required minLength={8} maxLength={128} autocomplete="new-password" />
          <small>{t('auth.passwordHint')}</small>
        </label>
        <button type="submit" class="button">{t('account.changePassword')}</button>
        <Status text={done} error={error} />
      </form>
    </section>
  );
}

function SignInsSection() {
  const list = useAsync(() => account.signIns(), []);
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const end = async (id: string) => {
    await account.endSignIn(id).catch(setError);
    list.reload();
  };
  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    setError(null);
    try {
      setToken(await account.createToken(String(new FormData(form).get('label') ?? '').trim()));
      form.reset();
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="account-signins">
      <h2 id="account-signins">{t('account.signIns')}</h2>
      {list.error ? (
        <ErrorView error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : (
        <ul class="sign-ins">
          {list.data.map((s) => (
            <li key={s.id}>
              <strong>{s.kind === 'token' ? `${t('account.token')}: ${s.label ?? ''}` : (s.userAgent ?? t('account.browser'))}</strong>{' '}
              {s.current && <span class="badge badge-ok">{t('account.thisOne')}</span>}{' '}
              <span class="when">{t('account.lastSeen', { when: formatDate(s.lastSeenAt) })}</span>{' '}
              {!s.current && (
                <button type="button" class="button small secondary" onClick={() => end(s.id)}>{t('account.end')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="stack" onSubmit={create}>
        <label class="field">
          <span>{t('account.tokenLabel')}</span>
          <input name="label" required maxLength={100} />
        </label>
        <button type="submit" class="button secondary">{t('account.createToken')}</button>
      </form>
      {token && (
        <p class="token" role="status">
          {t('account.tokenOnce')} <code>{token}</code>
        </p>
      )}
      <Status text={null} error={error} />
    </section>
  );
}
