import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../ui/common.js';
import { moderation, type ModerationSettings } from './moderation-api.js';
import { tp } from './page-i18n.js';

/** Optional whole number from a form field: '' → null. */
const optionalInt = (v: string): number | null => (v.trim() === '' ? null : Math.trunc(Number(v)));

/**
 * A forum's moderation settings for its moderators: pre-moderation (all
 * replies, or a person's first N), the flag threshold, forum-wide slow mode
 * and the hourly reply limit.
 */
export function ForumSettingsPanel({ forumId }: { forumId: number }) {
  const [settings, setSettings] = useState<ModerationSettings | null>(null);
  const [form, setForm] = useState({ premoderation: false, memberQuestions: true, firstReplies: '0', threshold: '', slow: '', perHour: '' });
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fill = (s: ModerationSettings) => {
    setSettings(s);
    setForm({
      premoderation: s.premoderation,
      memberQuestions: s.memberQuestions,
      firstReplies: String(s.premoderateFirstReplies),
      threshold: s.flagThresholdIsDefault ? '' : String(s.flagThreshold),
      slow: s.slowModeSeconds === null ? '' : String(s.slowModeSeconds),
      perHour: s.maxRepliesPerHour === null ? '' : String(s.maxRepliesPerHour),
    });
  };
  useEffect(() => {
    moderation.settings(forumId).then(fill, (e) => setStatus(errorMessage(e)));
  }, [forumId]);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      const result = await moderation.act({
        act: 'forum.settings',
        forumId,
        premoderation: form.premoderation,
        memberQuestions: form.memberQuestions,
        premoderateFirstReplies: optionalInt(form.firstReplies) ?? 0,
        flagThreshold: optionalInt(form.threshold),
        slowModeSeconds: optionalInt(form.slow),
        maxRepliesPerHour: optionalInt(form.perHour),
      });
      if (result.settings) fill(result.settings);
      setStatus(tp('settings.saved'));
    } catch (err) {
      setStatus(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: 'firstReplies' | 'threshold' | 'slow' | 'perHour', label: string, hint: string, max: number) => (
    <div class="field">
      <label for={`settings-${key}`}>{label}</label>
      <input
        id={`settings-${key}`}
        type="number"
        min={key === 'firstReplies' ? 0 : 1}
        max={max}
        inputMode="numeric"
        value={form[key]}
        aria-describedby={`settings-${key}-hint`}
        onInput={(e) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value })}
      />
      <p id={`settings-${key}-hint`} class="hint">
        {hint}
      </p>
    </div>
  );

  return (
    <details class="panel forum-settings">
      <summary>{tp('settings.title')}</summary>
      {!settings ? (
        <p class="muted">{status ?? '…'}</p>
      ) : (
        <form onSubmit={save}>
          <label class="choice">
            <input type="checkbox" checked={form.premoderation} onChange={(e) => setForm({ ...form, premoderation: (e.currentTarget as HTMLInputElement).checked })} />{' '}
            {tp('settings.premoderation')}
          </label>
          <label class="choice">
            <input type="checkbox" checked={form.memberQuestions} onChange={(e) => setForm({ ...form, memberQuestions: (e.currentTarget as HTMLInputElement).checked })} />{' '}
            {tp('settings.memberQuestions')}
          </label>
          {field('firstReplies', tp('settings.firstReplies'), tp('settings.firstRepliesHint'), 100)}
          {field('threshold', tp('settings.threshold'), tp('settings.thresholdHint', { n: settings.flagThreshold }), 100)}
          {field('slow', tp('settings.slow'), tp('settings.emptyOff'), 86400)}
          {field('perHour', tp('settings.perHour'), tp('settings.emptyOff'), 1000)}
          <p role="status" class="muted">
            {status}
          </p>
          <button type="submit" class="button" disabled={busy}>
            {tp('settings.save')}
          </button>
        </form>
      )}
    </details>
  );
}
