import { ErrorView, Loading } from '../ui/common.js';
import { formatDate, t } from '../i18n/index.js';
import { hasPageKey, tp } from './page-i18n.js';
import { changeSentences } from './record-sentences.js';
import type { ModerationAction } from './moderation-api.js';
import { paths } from '../router.js';

/** An act's name in the reader's language (the act itself, from a newer server, when it has none). */
export const actName = (act: string): string => {
  const key = `act.${act}`;
  return hasPageKey(key) ? tp(key) : act;
};

/** Acts of the record, one a row: when, who, what, whose, why and what changed. */
export function ActionTable(props: {
  forumId: number;
  list: { items: ModerationAction[] | null; next: string | null; error: unknown; more: boolean; loadMore(): void; reload(): void };
  showActor?: boolean;
  showWhose?: boolean;
}) {
  const { list } = props;
  if (list.error) return <ErrorView error={list.error} retry={list.reload} />;
  if (!list.items) return <Loading />;
  if (list.items.length === 0) return <p class="empty">{tp('record.empty')}</p>;
  return (
    <>
      <div class="table-wrap">
        <table class="record-table">
          <thead>
            <tr>
              <th scope="col">{tp('record.when')}</th>
              {props.showActor && <th scope="col">{tp('record.who')}</th>}
              <th scope="col">{tp('record.what')}</th>
              {props.showWhose && <th scope="col">{tp('record.whose')}</th>}
              <th scope="col">{tp('record.why')}</th>
              <th scope="col">{tp('record.change')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((a) => (
              <tr key={a.id} data-act={a.act}>
                <td>
                  <time dateTime={a.createdAt}>{formatDate(a.createdAt)}</time>
                </td>
                {props.showActor && <td>{a.actor?.displayName ?? tp('record.system')}</td>}
                <td>
                  {actName(a.act)} <Target forumId={props.forumId} kind={a.targetKind} id={a.targetId} questionId={a.questionId} />
                </td>
                {props.showWhose && <td>{a.targetAuthor?.displayName ?? '—'}</td>}
                <td>{a.reason ?? tp('record.noReason')}</td>
                <td>
                  <Change before={a.before} after={a.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.next && (
        <button type="button" class="button secondary" onClick={list.loadMore} disabled={list.more}>
          {list.more ? t('loading') : tp('record.more')}
        </button>
      )}
    </>
  );
}

function Target({ forumId, kind, id, questionId }: { forumId: number; kind: string; id: string; questionId: number | null }) {
  if (kind === 'reply' && questionId !== null) return <a href={paths.reply(forumId, questionId, id)}>({tp('record.target.reply', { id })})</a>;
  if (kind === 'question' && /^\d+$/.test(id)) return <a href={paths.thread(forumId, Number(id))}>({tp('record.target.question', { id })})</a>;
  return null;
}

/** What an act changed, one sentence per field in the reader's language. */
function Change({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const sentences = changeSentences(before, after);
  if (sentences.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="changes">
      {sentences.map((text, i) => (
        <li key={i}>{text}</li>
      ))}
    </ul>
  );
}
