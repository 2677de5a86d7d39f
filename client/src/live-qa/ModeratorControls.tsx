import { useEffect, useState } from 'preact/hooks';
import type { SessionState } from '../api.js';
import { announce } from '../ui/announcer.js';
import { t, tn, type MessageKey } from '../i18n/index.js';
import { qa, type HandOverPreview, type PendingChoice } from './qa-api.js';
import { paths } from '../router.js';
import type { QaModel } from './qa-model.js';
import { PollsModeration } from './PollParts.js';
import type { LiveQa } from './use-live-qa.js';

const SESSION_STATES: SessionState[] = ['scheduled', 'live', 'ended'];

/** Open or close the Q&A, the session's state, the rules for asking, hand-over and export. */
export function ModeratorControls({ live, model, onError }: { live: LiveQa; model: QaModel; onError(e: unknown): void }) {
  const info = model.info;
  const [premoderation, setPremoderation] = useState(info.premoderation);
  const [allowGuests, setAllowGuests] = useState(info.allowGuests);
  const [slowMode, setSlowMode] = useState(String(info.slowModeSeconds));
  const [sessionState, setSessionState] = useState<SessionState>(info.sessionState);
  const [status, setStatus] = useState<string | null>(null);
  const [preview, setPreview] = useState<HandOverPreview | null>(null);
  // Another moderator's change arrives live: show it.
  useEffect(() => setPremoderation(info.premoderation), [info.premoderation]);
  useEffect(() => setAllowGuests(info.allowGuests), [info.allowGuests]);
  useEffect(() => setSlowMode(String(info.slowModeSeconds)), [info.slowModeSeconds]);
  useEffect(() => setSessionState(info.sessionState), [info.sessionState]);

  const run = async (work: () => Promise<string | void>) => {
    setStatus(null);
    try {
      const done = (await work()) || t('qa.mod.saved');
      setStatus(done);
      announce(done);
    } catch (e) {
      onError(e);
    }
  };
  const handOver = () =>
    run(async () => {
      if (!window.confirm(t('qa.mod.confirmHandOver'))) return '';
      const carried = await live.handOver();
      return carried ? tn('qa.mod.handedOver', carried) : t('qa.mod.nothingToHandOver');
    });

  return (
    <>
      <section class="panel qa-controls" aria-labelledby="qa-controls-h">
        <h2 id="qa-controls-h">{t('qa.mod.settings')}</h2>
        <p>
          {info.state === 'open' ? (
            <button type="button" class="button secondary" onClick={() => run(() => live.configure({ state: 'closed' }))}>
              {t('qa.mod.closeQa')}
            </button>
          ) : (
            <button type="button" class="button" onClick={() => run(() => live.configure({ state: 'open' }))}>
              {t('qa.mod.openQa')}
            </button>
          )}
        </p>
        <form
          class="qa-session-state"
          onSubmit={(e) => {
            e.preventDefault();
            // Ending first shows what the hand-over will carry and what not; the moderator confirms below.
            if (sessionState === 'ended') void qa.handOverPreview(info.sessionId, 'keep').then(setPreview, onError);
            else void run(() => live.configure({ sessionState }));
          }}
        >
          <div class="field">
            <label for="qa-session-state">{t('qa.mod.sessionState')}</label>
            <select id="qa-session-state" value={sessionState} onChange={(e) => setSessionState((e.currentTarget as HTMLSelectElement).value as SessionState)}>
              {SESSION_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`state.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button small secondary" disabled={sessionState === info.sessionState}>
            {t('qa.mod.setState')}
          </button>
        </form>
        <form
          class="qa-rules"
          onSubmit={(e) => {
            e.preventDefault();
            const seconds = Math.max(0, Math.min(3600, Math.round(Number(slowMode) || 0)));
            void run(() => live.configure({ premoderation, allowGuests, slowModeSeconds: seconds }));
          }}
        >
          <label class="check">
            <input type="checkbox" checked={premoderation} onChange={(e) => setPremoderation((e.currentTarget as HTMLInputElement).checked)} /> {t('qa.mod.premoderation')}
          </label>
          <label class="check">
            <input type="checkbox" checked={allowGuests} onChange={(e) => setAllowGuests((e.currentTarget as HTMLInputElement).checked)} /> {t('qa.mod.allowGuests')}
          </label>
          <div class="field">
            <label for="qa-slow-mode">{t('qa.mod.slowMode')}</label>
            <input id="qa-slow-mode" type="number" inputMode="numeric" min={0} max={3600} value={slowMode} onInput={(e) => setSlowMode((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="button small">
            {t('qa.mod.saveSettings')}
          </button>
        </form>
        {preview && (
          <EndPreview
            preview={preview}
            onChoose={(pending) => void qa.handOverPreview(info.sessionId, pending).then(setPreview, onError)}
            onCancel={() => setPreview(null)}
            onConfirm={() =>
              run(async () => {
                const p = preview;
                await live.configure({ sessionState: 'ended', pending: p.pendingChoice });
                setPreview(null);
                return t('qa.end.done', { n: p.questions.length, p: p.polls.length });
              })
            }
          />
        )}
        {status && (
          <p class="qa-status" role="status">
            {status}{' '}
            {info.sessionState === 'ended' && info.handOverForum && <a href={paths.forum(info.handOverForum.id)}>{info.handOverForum.title}</a>}
          </p>
        )}
      </section>
      <PollsModeration live={live} />
      <section class="panel" aria-labelledby="qa-handover-h">
        <h2 id="qa-handover-h">{t('qa.mod.handOver')}</h2>
        <p class="hint">{t('qa.mod.handOverText')}</p>
        {info.handOverForum && (
          <p>
            <a href={paths.forum(info.handOverForum.id)}>{info.handOverForum.title}</a>
          </p>
        )}
        <button type="button" class="button secondary" onClick={handOver}>
          {t('qa.mod.handOver')}
        </button>
      </section>
      <section class="panel" aria-labelledby="qa-export-h">
        <h2 id="qa-export-h">{t('qa.mod.export')}</h2>
        <p class="composer-actions">
          <a class="button small secondary" href={qa.exportUrl(info.sessionId, 'csv')} download data-native>
            {t('qa.mod.exportCsv')}
          </a>
          <a class="button small secondary" href={qa.exportUrl(info.sessionId, 'md')} download data-native>
            {t('qa.mod.exportMarkdown')}
          </a>
        </p>
      </section>
    </>
  );
}

/** What ending the session will hand over (N approved questions, the polls) and what not (M pending, with the choice for them). */
function EndPreview({ preview, onChoose, onCancel, onConfirm }: { preview: HandOverPreview; onChoose(pending: PendingChoice): void; onCancel(): void; onConfirm(): void }) {
  const pendingCount = preview.pendingChoice === 'keep' || preview.pendingChoice === 'dismiss' ? preview.pending.length : 0;
  return (
    <section class="qa-end-preview" aria-labelledby="qa-end-h">
      <h3 id="qa-end-h">{t('qa.end.title')}</h3>
      <p>{t('qa.end.carries', { n: preview.questions.length })}</p>
      <p>{t('qa.end.polls', { n: preview.polls.length })}</p>
      {preview.forumWillBeCreated && <p class="hint">{t('qa.end.newForum')}</p>}
      {(pendingCount > 0 || preview.pendingChoice !== 'keep') && (
        <fieldset>
          <legend>{t('qa.end.pending', { n: pendingCount })}</legend>
          {(['approve', 'dismiss', 'keep'] as const).map((c) => (
            <label key={c} class="check">
              <input type="radio" name="qa-end-pending" checked={preview.pendingChoice === c} onChange={() => onChoose(c)} />{' '}
              {t(c === 'approve' ? 'qa.end.pendingApprove' : c === 'dismiss' ? 'qa.end.pendingDismiss' : 'qa.end.pendingKeep')}
            </label>
          ))}
        </fieldset>
      )}
      <p class="composer-actions">
        <button type="button" class="button" onClick={onConfirm}>{t('qa.end.confirm')}</button>
        <button type="button" class="button secondary" onClick={onCancel}>{t('qa.cancel')}</button>
      </p>
    </section>
  );
}
