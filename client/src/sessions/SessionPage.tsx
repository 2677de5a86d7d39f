import { sessions, type ForumSummary, type Language, type SessionDetail } from '../api.js';
import { Badge, ErrorView, Loading, useAsync, useTitle } from '../ui/common.js';
import { formatTimeRange, t, tn, type MessageKey } from '../i18n/index.js';
import { QaEntry } from '../live-qa/QaEntry.js';
import { paths } from '../router.js';
import { stateBadge } from './SessionsPage.js';

export function SessionPage({ slug }: { slug: string }) {
  const session = useAsync(() => sessions.get(slug), [slug]);
  const s = session.data;
  useTitle(s?.title);
  if (session.error) return <ErrorView error={session.error} retry={session.reload} />;
  if (!s) return <Loading />;

  const byLanguage = new Map<Language, SessionDetail['documents']>();
  for (const d of s.documents) byLanguage.set(d.language, [...(byLanguage.get(d.language) ?? []), d]);

  return (
    <article class="page session-page">
      <nav class="breadcrumbs" aria-label={t('nav.breadcrumbs')}>
        <a href={paths.sessions()}>{t('session.back')}</a>
      </nav>
      <header class="page-header">
        <p class="meta">
          <Badge>{t(`kind.${s.kind}` as MessageKey)}</Badge> {stateBadge(s.state)}
        </p>
        <h1 tabIndex={-1}>{s.title}</h1>
        <p class="organiser">{t('session.organisedBy', { organiser: s.organiser })}</p>
      </header>

      <div class="session-layout">
        <div class="session-main">
          {s.summary
            .split(/\n{2,}/)
            .filter(Boolean)
            .map((para, i) => (
              <p key={i}>{para}</p>
            ))}

          <QaEntry slug={s.slug} sessionState={s.state} />

          <section aria-labelledby="forums-h">
            <h2 id="forums-h">{t('session.forums')}</h2>
            {s.forums.length === 0 && s.membersForumCount === 0 && <p class="empty">{t('session.noForums')}</p>}
            {s.forums.length > 0 && <ForumList forums={s.forums} />}
            {s.membersForumCount > 0 && (
              <p class="sign-in-for-forums" data-testid="members-forums">
                {tn('session.membersForums', s.membersForumCount)}{' '}
                <a href={paths.signIn(paths.session(s.slug))}>{t('session.signInForForums')}</a>
              </p>
            )}
          </section>
        </div>

        <aside class="session-facts">
          {s.dates.length > 0 && (
            <section>
              <h2>{t('session.dates')}</h2>
              <ul class="plain">
                {s.dates.map((d) => (
                  <li key={d.startsAt}>
                    <time dateTime={d.startsAt}>{formatTimeRange(d.startsAt, d.endsAt)}</time>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {s.partners.length > 0 && (
            <section>
              <h2>{t('session.partners')}</h2>
              <p>{s.partners.join(', ')}</p>
            </section>
          )}
          {s.cities.length > 0 && (
            <section>
              <h2>{t('session.cities')}</h2>
              <ul class="tags">
                {s.cities.map((c) => (
                  <li key={c}>
                    <a href={paths.sessions(`?city=${encodeURIComponent(c)}`)}>{c}</a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {s.topics.length > 0 && (
            <section>
              <h2>{t('session.topics')}</h2>
              <ul class="tags">
                {s.topics.map((c) => (
                  <li key={c}>
                    <a href={paths.sessions(`?topic=${encodeURIComponent(c)}`)}>{c}</a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {s.languages.length > 0 && (
            <section>
              <h2>{t('session.languages')}</h2>
              <p>{s.languages.map((l) => t(`language.${l}` as MessageKey)).join(', ')}</p>
            </section>
          )}
          <section>
            <h2>{t('session.documents')}</h2>
            {s.documents.length === 0 ? (
              <p class="empty">{t('session.noDocuments')}</p>
            ) : (
              [...byLanguage].map(([lang, docs]) => (
                <div key={lang} class="doc-group">
                  <h3 lang={lang}>{t(`language.${lang}` as MessageKey)}</h3>
                  <ul class="plain">
                    {docs.map((d) => (
                      <li key={d.id}>
                        <a href={d.url} hrefLang={d.language} lang={d.language} rel="noopener noreferrer" target="_blank">
                          {d.title}
                        </a>
                        {t(`doc.${d.kind}` as MessageKey).toLowerCase() !== d.title.toLowerCase() && (
                          <span class="muted"> ({t(`doc.${d.kind}` as MessageKey)})</span>
                        )}
                      </li>
                    ))}
                  </ul>
                </div>
              ))
            )}
          </section>
        </aside>
      </div>
    </article>
  );
}

function ForumList({ forums }: { forums: ForumSummary[] }) {
  return (
    <ul class="card-list">
      {forums.map((f) => (
        <li key={f.id}>
          <article class="card forum-card">
            <h3>
              <a href={paths.forum(f.id)}>{f.title}</a>
            </h3>
            <p class="meta">
              <Badge tone={f.visibility === 'public' ? 'ok' : 'info'}>{t(`visibility.${f.visibility}` as MessageKey)}</Badge>{' '}
              <Badge tone={f.state === 'open' ? 'ok' : 'warn'}>{t(`forumState.${f.state}` as MessageKey)}</Badge>
              {f.replyCount !== null && <span class="muted"> · {tn('forum.replies', f.replyCount)}</span>}
            </p>
            {f.description && <p>{f.description}</p>}
          </article>
        </li>
      ))}
    </ul>
  );
}
