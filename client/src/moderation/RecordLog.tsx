import { useEffect, useState } from 'preact/hooks';
import type { Author, ForumDetail } from '../api.js';
import { useFollow } from '../ui/use-follow.js';
import type { ForumEvent } from '../live.js';
import { tp } from './page-i18n.js';
import { moderation, type ActionFilters } from './moderation-api.js';
import { navigate, paths, useLocation } from '../router.js';
import { actName, ActionTable } from './RecordActionTable.js';
import { usePaged } from '../ui/use-paged.js';

/** Act names a moderator can filter the log by, in the order they are listed. */
const ACTS = [
  'reply.hide',
  'reply.unhide',
  'reply.delete',
  'reply.edit',
  'reply.move',
  'reply.feature',
  'reply.unfeature',
  'reply.approve',
  'reply.reject',
  'flag.uphold',
  'flag.dismiss',
  'question.pin',
  'question.unpin',
  'question.lock',
  'question.unlock',
  'question.close',
  'question.reopen',
  'question.reorder',
  'question.merge',
  'question.synthesis',
  'question.slow_mode',
  'question.edit',
  'question.approve',
  'question.reject',
  'forum.settings',
  'member.silence',
  'member.unsilence',
];

/** The full log of a forum's moderation, with filters (moderators); new acts appear at the top while no filter narrows it. */
export function LogView({ forum: f }: { forum: ForumDetail }) {
  const loc = useLocation();
  const filters: ActionFilters = {
    act: loc.search.get('act') ?? undefined,
    actorId: loc.search.get('actorId') ?? undefined,
    since: loc.search.get('since') ?? undefined,
    until: loc.search.get('until') ?? undefined,
  };
  const key = JSON.stringify(filters);
  const list = usePaged((after) => moderation.actions(f.id, toServerFilters(filters), after), [f.id, key]);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [key]);
  // Who can be picked: the forum's moderators, and anyone else seen acting (admins, session moderators).
  const [actors, setActors] = useState<Map<string, string>>(new Map());
  const addActors = (people: (Author | null)[]) =>
    setActors((known) => {
      const next = new Map(known);
      for (const p of people) if (p) next.set(p.id, p.displayName);
      return next.size === known.size ? known : next;
    });
  useEffect(() => {
    moderation.moderators(f.id).then(addActors, () => undefined);
  }, [f.id]);
  useEffect(() => {
    if (list.items) addActors(list.items.map((a) => a.actor));
  }, [list.items]);

  // New acts appear at the top while no filter narrows the log.
  const unfiltered = !filters.act && !filters.actorId && !filters.since && !filters.until;
  useFollow(
    f.id,
    null,
    {
      onEvent(e: ForumEvent) {
        if (e.type !== 'moderation.action' || !unfiltered) return;
        const action = e.payload.action;
        list.setItems((items) => (items && !items.some((a) => a.id === action.id) ? [action, ...items] : items));
      },
      onResync: list.reload,
    },
    !!list.items,
  );

  const apply = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams({ view: 'log' });
    for (const [k, v] of Object.entries(draft)) if (v) q.set(k, String(v));
    navigate(`${paths.moderationRecord(f.id)}?${q}`);
  };

  return (
    <section aria-labelledby="log-h">
      <h2 id="log-h" class="sr-only">
        {tp('record.tab.log')}
      </h2>
      <p class="lede">{tp('record.logIntro')}</p>
      <form class="filters record-filters" onSubmit={apply} aria-label={tp('record.filters')}>
        <label class="field">
          <span>{tp('record.act')}</span>
          <select value={draft.act ?? ''} onChange={(e) => setDraft({ ...draft, act: (e.currentTarget as HTMLSelectElement).value || undefined })}>
            <option value="">{tp('record.anyAct')}</option>
            {ACTS.map((a) => (
              <option key={a} value={a}>
                {actName(a)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{tp('record.moderator')}</span>
          <select value={draft.actorId ?? ''} onChange={(e) => setDraft({ ...draft, actorId: (e.currentTarget as HTMLSelectElement).value || undefined })}>
            <option value="">{tp('record.anyModerator')}</option>
            {[...actors].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{tp('record.since')}</span>
          <input type="date" value={draft.since ?? ''} onInput={(e) => setDraft({ ...draft, since: (e.currentTarget as HTMLInputElement).value || undefined })} />
        </label>
        <label class="field">
          <span>{tp('record.until')}</span>
          <input type="date" value={draft.until ?? ''} onInput={(e) => setDraft({ ...draft, until: (e.currentTarget as HTMLInputElement).value || undefined })} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="button">
            {tp('record.apply')}
          </button>
          <a class="button secondary" href={paths.moderationRecord(f.id, 'log')}>
            {tp('record.clear')}
          </a>
        </div>
      </form>
      <ActionTable forumId={f.id} list={list} showActor showWhose />
    </section>
  );
}

/** Dates from the filter form (whole days, local time) as the ISO times the server takes. */
function toServerFilters(filters: ActionFilters): ActionFilters {
  const day = (d: string | undefined, end: boolean) => {
    if (!d) return undefined;
    const at = new Date(`${d}T00:00:00`);
    if (Number.isNaN(at.getTime())) return undefined;
    if (end) at.setDate(at.getDate() + 1);
    return at.toISOString();
  };
  return { ...filters, since: day(filters.since, false), until: day(filters.until, true) };
}
