import { useState } from 'preact/hooks';
import { Avatar } from '../ui/Avatar.js';
import { Badge, ErrorView, Loading, ServerHtml, useAsync, useTitle } from '../ui/common.js';
import { formatDate, t, type MessageKey } from '../i18n/index.js';
import { person, personReplies, type PersonReply } from './people-api.js';

/** A member's profile: who they are, who they speak for, and what they wrote that the reader may read. */
export function PersonPage({ id }: { id: string }) {
  const profile = useAsync(() => person(id), [id]);
  useTitle(profile.data?.displayName);
  const [more, setMore] = useState<{ items: PersonReply[]; cursor: string | null } | null>(null);
  if (profile.error) return <ErrorView error={profile.error} retry={profile.reload} />;
  if (!profile.data) return <Loading />;
  const p = profile.data;
  const replies = [...p.replies.items, ...(more?.items ?? [])];
  const cursor = more ? more.cursor : p.replies.nextCursor;
  const loadMore = async () => {
    if (!cursor) return;
    const next = await personReplies(id, cursor);
    setMore({ items: [...(more?.items ?? []), ...next.items], cursor: next.nextCursor });
  };
  return (
    <div class="page person-page">
      <header class="page-header person-header">
        <Avatar person={p} size={96} />
        <div>
          <h1 tabIndex={-1}>{p.displayName}</h1>
          {p.organisation && <p class="org" data-testid="person-organisation">{p.organisation}</p>}
          {p.languages.length > 0 && (
            <p class="languages">
              {t('people.speaks')} {p.languages.map((l) => t(`search.lang.${l}` as MessageKey)).join(', ')}
            </p>
          )}
          {p.bio && <p class="bio">{p.bio}</p>}
        </div>
      </header>
      <section aria-labelledby="person-replies">
        <h2 id="person-replies">{t('people.replies')}</h2>
        {replies.length === 0 ? (
          <p class="empty">{t('people.noReplies')}</p>
        ) : (
          <ol class="person-replies">
            {replies.map((r) => (
              <li key={r.id}>
                <a href={r.path}>{r.questionTitle}</a> <span class="where">· {r.forumTitle}</span>{' '}
                <time dateTime={r.createdAt}>· {formatDate(r.createdAt, 'date')}</time>
                {r.state !== 'visible' && <Badge tone="warn">{t(`search.state.${r.state}` as MessageKey)}</Badge>}
                <ServerHtml html={r.bodyHtml} />
              </li>
            ))}
          </ol>
        )}
        {cursor && (
          <button type="button" class="button secondary" onClick={loadMore}>
            {t('people.moreReplies')}
          </button>
        )}
      </section>
      {p.questions.length > 0 && (
        <section aria-labelledby="person-questions">
          <h2 id="person-questions">{t('people.questions')}</h2>
          <ul>
            {p.questions.map((q) => (
              <li key={q.questionId}>
                <a href={q.path}>{q.questionTitle}</a> <span class="where">· {q.forumTitle}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
