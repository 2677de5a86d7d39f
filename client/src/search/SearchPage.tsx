import { useState } from 'preact/hooks';
import { LANGUAGES, type Language } from '../api.js';
import { Avatar } from '../ui/Avatar.js';
import { Badge, ErrorView, Loading, useAsync, useTitle } from '../ui/common.js';
import { formatDate, t, type MessageKey } from '../i18n/index.js';
import { search, SEARCH_KINDS, type SearchGroup, type SearchHit, type SearchKind } from '../people/people-api.js';
import { navigate, paths, useLocation } from '../router.js';

/** The results of one search, grouped by kind; one kind at a time with "more" paging; filters apply as they change. */
export function SearchPage() {
  const loc = useLocation();
  const q = loc.search.get('q') ?? '';
  const kindParam = loc.search.get('kind');
  const kind = SEARCH_KINDS.includes(kindParam as SearchKind) ? (kindParam as SearchKind) : undefined;
  const langParam = loc.search.get('language');
  const language = LANGUAGES.includes(langParam as Language) ? (langParam as Language) : undefined;
  const city = loc.search.get('city') ?? undefined;
  useTitle(q ? t('search.titleFor', { q }) : t('search.title'));
  const key = JSON.stringify({ q, kind, language, city });
  const results = useAsync(() => (q.trim() ? search({ q, kind, language, city }) : Promise.resolve([] as SearchGroup[])), [key]);
  const [more, setMore] = useState<{ key: string; items: SearchHit[]; cursor: string | null }>({ key: '', items: [], cursor: null });

  const go = (change: Record<string, string | undefined>) => {
    const next = new URLSearchParams(loc.search);
    for (const [k, v] of Object.entries(change)) (v ? next.set(k, v) : next.delete(k));
    navigate(`/search?${next}`, { replace: true });
  };
  const groups = results.data ?? [];
  const loadMore = async (group: SearchGroup) => {
    const cursor = more.key === key ? more.cursor : group.nextCursor;
    if (!cursor) return;
    const [next] = await search({ q, kind: group.kind, language, city, cursor });
    setMore({ key, items: [...(more.key === key ? more.items : []), ...(next?.items ?? [])], cursor: next?.nextCursor ?? null });
  };

  return (
    <div class="page search-page">
      <header class="page-header">
        <h1 tabIndex={-1}>{q ? t('search.titleFor', { q }) : t('search.title')}</h1>
        <p class="lede">{t('search.intro')}</p>
      </header>
      <form class="filters" aria-label={t('search.filters')} onSubmit={(e) => e.preventDefault()}>
        <label class="field">
          <span>{t('search.kind')}</span>
          <select value={kind ?? ''} onChange={(e) => go({ kind: (e.currentTarget as HTMLSelectElement).value || undefined })}>
            <option value="">{t('search.allKinds')}</option>
            {SEARCH_KINDS.map((k) => (
              <option value={k} key={k}>{t(`search.kind.${k}` as MessageKey)}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('search.language')}</span>
          <select value={language ?? ''} onChange={(e) => go({ language: (e.currentTarget as HTMLSelectElement).value || undefined })}>
            <option value="">{t('sessions.any')}</option>
            {LANGUAGES.map((l) => (
              <option value={l} key={l}>{t(`search.lang.${l}` as MessageKey)}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('search.city')}</span>
          <input type="text" value={city ?? ''} maxLength={120} onChange={(e) => go({ city: (e.currentTarget as HTMLInputElement).value.trim() || undefined })} />
        </label>
      </form>
      {!q.trim() ? (
        <p class="empty">{t('search.empty')}</p>
      ) : results.error ? (
        <ErrorView error={results.error} retry={results.reload} />
      ) : !results.data ? (
        <Loading />
      ) : groups.every((g) => g.items.length === 0) ? (
        <p class="empty" data-testid="search-none">{t('search.none')}</p>
      ) : (
        groups.map((group) => {
          const items = kind && more.key === key ? [...group.items, ...more.items] : group.items;
          const cursor = kind ? (more.key === key ? more.cursor : group.nextCursor) : group.nextCursor;
          return (
            <section class="search-group" key={group.kind} aria-labelledby={`search-${group.kind}`}>
              <h2 id={`search-${group.kind}`}>{t(`search.kind.${group.kind}` as MessageKey)}</h2>
              <ol class="search-results">
                {items.map((hit) => (
                  <li key={`${hit.kind}-${hit.id}`}>
                    <Result hit={hit} />
                  </li>
                ))}
              </ol>
              {cursor &&
                (kind ? (
                  <button type="button" class="button secondary" onClick={() => loadMore(group)}>{t('search.more')}</button>
                ) : (
                  <a class="button link" href={`/search?${new URLSearchParams({ ...Object.fromEntries(loc.search), kind: group.kind })}`}>
                    {t('search.moreOf', { kind: t(`search.kind.${group.kind}` as MessageKey) })}
                  </a>
                ))}
            </section>
          );
        })
      )}
    </div>
  );
}

function Result({ hit }: { hit: SearchHit }) {
  const where = [hit.session.title, hit.forum?.title].filter((x) => x && x !== stripMarks(hit.titleHtml)).join(' › ');
  return (
    <article class="search-hit" data-kind={hit.kind}>
      {/* The server escapes everything and adds only <mark> around the matched words. */}
      <a class="hit-title" href={hit.path} dangerouslySetInnerHTML={{ __html: hit.titleHtml }} />
      {hit.snippetHtml && hit.snippetHtml !== hit.titleHtml && <p class="hit-snippet" dangerouslySetInnerHTML={{ __html: hit.snippetHtml }} />}
      <p class="hit-meta">
        {hit.author && (
          <a class="speaker" href={paths.person(hit.author.id)}>
            <Avatar person={hit.author} size={20} /> {hit.author.displayName}
            {hit.author.organisation && <span class="org"> · {hit.author.organisation}</span>}
          </a>
        )}
        {where && <span class="where"> {where}</span>}
        <time dateTime={hit.at}> · {formatDate(hit.at, 'date')}</time>
        {hit.state && <Badge tone="warn">{t(`search.state.${hit.state}` as MessageKey)}</Badge>}
      </p>
    </article>
  );
}

const stripMarks = (html: string) => html.replace(/<\/?mark>/g, '');
