import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { sessions, type SessionFacets, type SessionFilters, type SessionSummary } from '../api.js';
import { account } from '../account/account.js';
import { Badge, ErrorView, Loading, useAsync, useTitle } from '../ui/common.js';
import { notificationsApi } from '../notifications/notifications-api.js';
import { useStore } from '../store.js';
import { formatDate, t, tn, type MessageKey } from '../i18n/index.js';
import { navigate, paths, useLocation } from '../router.js';

const FILTERS = ['topic', 'organiser', 'city', 'state'] as const;
type FilterName = (typeof FILTERS)[number];
const STATES = ['scheduled', 'live', 'ended'];

export function SessionsPage() {
  useTitle(t('sessions.title'));
  const loc = useLocation();
  const filters: SessionFilters = useMemo(() => {
    const f: SessionFilters = {};
    for (const name of FILTERS) {
      const v = loc.search.get(name);
      // As the address has it; the server names a value it doesn't know.
      if (v) (f as Record<string, string>)[name] = v;
    }
    const q = loc.search.get('q');
    if (q) f.q = q;
    return f;
  }, [loc.search.toString()]);
  const key = JSON.stringify(filters);

  const list = useAsync(() => sessions.list(filters), [key]);
  const me = useStore(account);
  // New replies or questions in forums I follow, since my last visit to them (a mark per session).
  const activity = useAsync(
    () => (me ? notificationsApi.activity().then((a) => new Set(a.sessions.map((s) => s.sessionId)), () => new Set<number>()) : Promise.resolve(new Set<number>())),
    [me?.id],
  );
  const facets = useAsync(() => sessions.facets(filters), [key]);
  const [more, setMore] = useState<{ key: string; items: SessionSummary[]; cursor: string | null; loading: boolean }>({
    key: '',
    items: [],
    cursor: null,
    loading: false,
  });
  const extra = more.key === key ? more.items : [];
  const cursor = more.key === key && more.items.length ? more.cursor : (list.data?.nextCursor ?? null);
  const items = [...(list.data?.items ?? []), ...extra];

  const loadMore = async () => {
    if (!cursor) return;
    setMore((m) => ({ ...m, loading: true }));
    try {
      const next = await sessions.list(filters, cursor);
      setMore({ key, items: [...extra, ...next.items], cursor: next.nextCursor, loading: false });
    } catch {
      setMore((m) => ({ ...m, loading: false }));
    }
  };

  const options = useMemo(() => facetOptions(facets.data ?? null, items, filters), [facets.data, items.length, key]);

  return (
    <div class="page sessions-page">
      <header class="page-header">
        <h1 tabIndex={-1}>{t('sessions.title')}</h1>
        <p class="lede">{t('sessions.intro')}</p>
      </header>
      <FilterForm filters={filters} options={options} />
      {list.error ? (
        <ErrorView error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p class="empty">{t('sessions.none')}</p>
      ) : (
        <>
          <ul class="card-list" aria-busy={list.loading}>
            {items.map((s) => (
              <li key={s.id}>
                <SessionCard session={s} active={!!activity.data?.has(s.id)} />
              </li>
            ))}
          </ul>
          {cursor && (
            <button type="button" class="button secondary" onClick={loadMore} disabled={more.loading}>
              {more.loading ? t('loading') : t('sessions.more')}
            </button>
          )}
        </>
      )}
    </div>
  );
}

type Option = { value: string; count: number | null };
type Options = Record<FilterName, Option[]>;

/** Filter values from the facets endpoint (with counts), or from the sessions shown if it is unavailable. */
function facetOptions(facets: SessionFacets | null, items: SessionSummary[], current: SessionFilters): Options {
  const fromItems = (values: string[]): Option[] =>
    [...new Set(values)].filter(Boolean).sort((a, b) => a.localeCompare(b)).map((value) => ({ value, count: null }));
  const byName = (list: { value: string; count: number }[]): Option[] => [...list].sort((a, b) => a.value.localeCompare(b.value));
  const o: Options = {
    topic: facets ? byName(facets.topics) : fromItems(items.flatMap((s) => s.topics)),
    organiser: facets ? byName(facets.organisers) : fromItems(items.map((s) => s.organiser)),
    city: facets ? byName(facets.cities) : fromItems(items.flatMap((s) => s.cities)),
    state: STATES.map((value) => ({ value, count: facets?.states.find((x) => x.value === value)?.count ?? null })),
  };
  for (const name of FILTERS) {
    const v = current[name];
    if (v && !o[name].some((x) => x.value === v)) o[name] = [{ value: v, count: null }, ...o[name]];
  }
  return o;
}

function FilterForm({ filters, options }: { filters: SessionFilters; options: Options }) {
  const labels: Record<FilterName, MessageKey> = {
    topic: 'sessions.topic',
    organiser: 'sessions.organiser',
    city: 'sessions.city',
    state: 'sessions.state',
  };
  // Controlled, so a choice shows even when its options arrive after the first render.
  const [chosen, setChosen] = useState<SessionFilters>(filters);
  const typing = useRef<number | undefined>(undefined);
  // Filters apply as they change (the words after a short pause in typing); the page keeps its place in history once.
  const apply = (next: SessionFilters, replace = false) => {
    const q = new URLSearchParams();
    if (next.q?.trim()) q.set('q', next.q.trim());
    for (const name of FILTERS) {
      const v = next[name];
      if (v) q.set(name, v);
    }
    const s = q.toString();
    navigate(paths.sessions(s ? `?${s}` : ''), { replace });
  };
  const choose = (next: SessionFilters) => {
    setChosen(next);
    apply(next);
  };
  const type = (words: string) => {
    const next = { ...chosen, q: words };
    setChosen(next);
    window.clearTimeout(typing.current);
    typing.current = window.setTimeout(() => apply(next, true), 350);
  };
  useEffect(() => () => window.clearTimeout(typing.current), []);
  // The address changed (a link, back, "clear"): show its filters, keeping the words being typed as they are.
  const key = JSON.stringify(filters);
  useEffect(() => setChosen((c) => ({ ...filters, q: (c.q ?? '').trim() === (filters.q ?? '') ? c.q : filters.q })), [key]);
  const submit = (e: Event) => {
    e.preventDefault();
    window.clearTimeout(typing.current);
    apply(chosen);
  };
  const active = FILTERS.some((n) => filters[n]) || !!filters.q;
  return (
    <form class="filters" onSubmit={submit} aria-label={t('sessions.filters')}>
      <label class="field field-words">
        <span>{t('catalogue.search')}</span>
        <input type="search" name="q" value={chosen.q ?? ''} maxLength={200} onInput={(e) => type((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {FILTERS.map((name) => (
        <label class="field" key={name}>
          <span>{t(labels[name])}</span>
          <select name={name} value={chosen[name] ?? ''} onChange={(e) => choose({ ...chosen, [name]: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">{t('sessions.any')}</option>
            {options[name].map((o) => (
              <option value={o.value} key={o.value}>
                {name === 'state' ? t(`state.${o.value}` as MessageKey) : o.value}
                {o.count !== null ? ` (${o.count})` : ''}
              </option>
            ))}
          </select>
        </label>
      ))}
      <div class="filter-actions">
        {/* Filters apply as they change; this stays for keyboard and screen-reader users who expect to submit a form. */}
        <button type="submit" class="button sr-only">
          {t('sessions.apply')}
        </button>
        {active && (
          <a class="button link" href={paths.sessions()}>
            {t('sessions.clear')}
          </a>
        )}
      </div>
    </form>
  );
}

export function stateBadge(state: string) {
  return <Badge tone={state === 'live' ? 'live' : state === 'scheduled' ? 'info' : 'neutral'}>{t(`state.${state}` as MessageKey)}</Badge>;
}

function SessionCard({ session: s, active }: { session: SessionSummary; active: boolean }) {
  const first = s.dates[0];
  return (
    <article class="card session-card">
      <h2>
        <a href={paths.session(s.slug)}>{s.title}</a>
      </h2>
      <p class="meta">
        <Badge>{t(`kind.${s.kind}` as MessageKey)}</Badge> {stateBadge(s.state)}
        {active && (
          <>
            {' '}
            <span class="badge badge-live new-activity">{t('unread.activity')}</span>
          </>
        )}
        {first && (
          <>
            {' '}
            <time dateTime={first.startsAt}>{formatDate(first.startsAt, 'date')}</time>
          </>
        )}
      </p>
      <p class="organiser">{t('session.organisedBy', { organiser: s.organiser })}</p>
      {s.cities.length > 0 && <p class="cities">{s.cities.join(' · ')}</p>}
      {!!s.forumCount && <p class="forum-count">{tn('sessions.forums', s.forumCount)}</p>}
      {s.membersForumCount > 0 && <p class="forum-count muted">{tn('sessions.membersForums', s.membersForumCount)}</p>}
      {s.topics.length > 0 && (
        <ul class="tags" aria-label={t('session.topics')}>
          {s.topics.map((topic) => (
            <li key={topic}>
              <a href={paths.sessions(`?topic=${encodeURIComponent(topic)}`)}>{topic}</a>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
