import { useEffect, useState } from 'preact/hooks';
import { forums } from '../api.js';
import { account } from './account.js';
import { Loading, errorMessage, useAsync, useTitle } from '../ui/common.js';
import { t } from '../i18n/index.js';
import { navigate, paths } from '../router.js';
import { useStore } from '../store.js';

/** /invite/<token>: says where the link leads; once signed in, accepts it and opens the forum. */
export function InvitePage({ token }: { token: string }) {
  useTitle(t('invite.title'));
  const me = useStore(account);
  const preview = useAsync(() => forums.previewInvitation(token), [token]);
  const [error, setError] = useState<string | null>(null);
  const here = `/invite/${encodeURIComponent(token)}`;

  useEffect(() => {
    if (!me) return;
    let cancelled = false;
    setError(null);
    forums.acceptInvitation(token).then(
      ({ forumId }) => !cancelled && navigate(forumId ? paths.forum(forumId) : paths.sessions(), { replace: true }),
      (e) => !cancelled && setError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [me?.id, token]);

  const p = preview.data;
  return (
    <section class="page auth-page">
      <h1 tabIndex={-1}>{t('invite.title')}</h1>
      {p && (
        <div class="panel">
          <p>
            <strong>{t('invite.to', { forum: p.forum.title, session: p.sessionTitle })}</strong>
          </p>
          {p.invitedBy && <p class="muted">{t('invite.by', { name: p.invitedBy })}</p>}
        </div>
      )}
      {me === undefined ? (
        <Loading />
      ) : error || (!me && preview.error) ? (
        <div class="panel" role="alert">
          <p>
            <strong>{t('invite.failed')}</strong>
          </p>
          <p>{error ?? errorMessage(preview.error)}</p>
          <a href={paths.sessions()}>{t('error.home')}</a>
        </div>
      ) : !me ? (
        <div class="panel">
          <p>{t('invite.signInFirst')}</p>
          <a class="button" href={paths.signIn(here)}>
            {t('auth.signIn')}
          </a>{' '}
          <a class="button secondary" href={paths.signUp(here)}>
            {t('auth.signUp')}
          </a>
        </div>
      ) : (
        <p role="status">{t('invite.accepting')}</p>
      )}
    </section>
  );
}
