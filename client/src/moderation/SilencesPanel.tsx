import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../ui/common.js';
import { formatDate } from '../i18n/index.js';
import { moderation, type Silence } from './moderation-api.js';
import { tp } from './page-i18n.js';

/** The members silenced in a forum now, each with a way to lift it; `version` changes when a silence changed live. */
export function SilencesPanel({ forumId, version }: { forumId: number; version: number }) {
  const [silences, setSilences] = useState<Silence[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const load = () => moderation.silences(forumId).then(setSilences, (e) => setStatus(errorMessage(e)));
  useEffect(() => {
    load();
  }, [forumId, version]);

  const lift = async (s: Silence) => {
    try {
      await moderation.act({ act: 'member.unsilence', forumId, accountId: s.account.id });
      setStatus(tp('silences.lifted', { name: s.account.displayName }));
      load();
    } catch (e) {
      setStatus(errorMessage(e));
    }
  };

  return (
    <section class="panel silences" aria-labelledby="silences-h">
      <h2 id="silences-h">{tp('silences.title')}</h2>
      <p role="status" class="muted">
        {status}
      </p>
      {!silences ? null : silences.length === 0 ? (
        <p class="empty">{tp('silences.none')}</p>
      ) : (
        <ul class="plain">
          {silences.map((s) => (
            <li key={s.account.id}>
              <strong>{s.account.displayName}</strong> — {tp('silences.until', { until: formatDate(s.until) })}
              {s.by && <> · {tp('silences.by', { name: s.by.displayName })}</>}
              {s.reason && <> · {s.reason}</>}{' '}
              <button type="button" class="link-button" onClick={() => lift(s)}>
                {tp('silences.lift', { name: s.account.displayName })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
