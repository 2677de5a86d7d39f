import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { forums, type Participant } from '../api.js';
import { ApiError } from '../api/client.js';
import { t } from '../i18n/index.js';
import { alignmentAsClasses, errorMessage } from '../ui/common.js';

let nextId = 0;

/** The forum whose people a composer offers after "@" (the thread page provides it). */
export const MentionsIn = createContext<number | null>(null);

/** "@" and the start of a name, just before the caret. */
const MENTION_AT_CARET = /(^|\s)@([\p{L}\p{N}_.'-]{1,50})$/u;

/** A v4 UUID; crypto.randomUUID exists only in secure contexts (https, localhost). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A markdown text box with a preview. The preview is rendered here
 * (markdown-it + DOMPurify, loaded on first use); after posting, the
 * server's sanitised HTML is what everyone sees.
 *
 * Each draft gets one `clientId` (passed to onSubmit), kept when posting
 * fails so that a retry can't store the reply twice, and renewed after a
 * success.
 */
export function Composer(props: {
  label: string;
  submitLabel: string;
  initial?: string;
  autoFocus?: boolean;
  onSubmit(body: string, clientId: string): Promise<void>;
  onCancel?(): void;
  onTyping?(): void;
}) {
  const [id] = useState(() => `composer-${++nextId}`);
  const [body, setBody] = useState(props.initial ?? '');
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [preview, setPreview] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const clientId = useRef<string | null>(null);
  const forumId = useContext(MentionsIn);
  const [mention, setMention] = useState<{ start: number; items: Participant[]; active: number } | null>(null);
  const lookup = useRef(0);

  /** Offers the forum's people whose name starts as typed after "@" (answers to older keystrokes are dropped). */
  const findMention = (value: string, caret: number) => {
    const m = forumId === null ? null : MENTION_AT_CARET.exec(value.slice(0, caret));
    const mine = ++lookup.current;
    if (!m || forumId === null) return setMention(null);
    const prefix = m[2];
    forums.participants(forumId, prefix).then(
      (r) => mine === lookup.current && setMention(r.items.length ? { start: caret - prefix.length - 1, items: r.items, active: 0 } : null),
      () => mine === lookup.current && setMention(null),
    );
  };

  /** Replaces "@prefix" with the mention's markup, which the server turns into a link and a notification. */
  const choose = (p: Participant) => {
    const el = area.current;
    if (!el || !mention) return;
    const caret = el.selectionStart;
    const markup = `@[${p.displayName.replace(/[[\]]/g, '')}](${p.id}) `;
    const next = body.slice(0, mention.start) + markup + body.slice(caret);
    setBody(next);
    setMention(null);
    lookup.current++;
    const at = mention.start + markup.length;
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(at, at);
    });
  };

  useEffect(() => {
    if (props.autoFocus) area.current?.focus();
  }, []);

  useEffect(() => {
    if (mode !== 'preview') return;
    let live = true;
    import('../ui/markdown.js').then((m) => live && setPreview(m.renderPreview(body)));
    return () => {
      live = false;
    };
  }, [mode, body]);

  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (busy) return;
    if (!body.trim()) {
      setError(t('thread.previewEmpty'));
      area.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      clientId.current ??= newClientId();
      await props.onSubmit(body, clientId.current);
      clientId.current = null;
      setBody('');
      setMode('write');
    } catch (err) {
      setError(err instanceof ApiError ? (err.field('body') ?? errorMessage(err)) : errorMessage(err));
      setMode('write');
    } finally {
      setBusy(false);
    }
  };

  const keydown = (e: KeyboardEvent) => {
    if (mention) {
      const n = mention.items.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setMention({ ...mention, active: (mention.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
        return;
      }
      if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') {
        e.preventDefault();
        choose(mention.items[mention.active]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setMention(null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
    if (e.key === 'Escape' && props.onCancel) props.onCancel();
  };

  return (
    <form class="composer" onSubmit={submit}>
      <div class="composer-head">
        <label for={id} class="composer-label">
          {props.label}
        </label>
        <div class="segmented" role="group" aria-label={props.label}>
          <button type="button" aria-pressed={mode === 'write'} onClick={() => setMode('write')}>
            {t('thread.write')}
          </button>
          <button type="button" aria-pressed={mode === 'preview'} onClick={() => setMode('preview')}>
            {t('thread.preview')}
          </button>
        </div>
      </div>
      <textarea
        id={id}
        ref={area}
        rows={4}
        value={body}
        hidden={mode === 'preview'}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-autocomplete={forumId === null ? undefined : 'list'}
        aria-controls={mention ? `${id}-people` : undefined}
        aria-activedescendant={mention ? `${id}-person-${mention.active}` : undefined}
        maxLength={20000}
        onInput={(e) => {
          const el = e.currentTarget as HTMLTextAreaElement;
          setBody(el.value);
          findMention(el.value, el.selectionStart);
          props.onTyping?.();
        }}
        onBlur={() => setMention(null)}
        onKeyDown={keydown}
      />
      {mention && (
        <ul id={`${id}-people`} class="mention-list" role="listbox" aria-label={t('mention.people')} data-testid="mention-list">
          {mention.items.map((p, i) => (
            <li
              key={p.id}
              id={`${id}-person-${i}`}
              role="option"
              aria-selected={i === mention.active}
              // mousedown, not click: the textarea keeps its focus and caret.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(p);
              }}
            >
              {p.displayName}
            </li>
          ))}
        </ul>
      )}
      {mode === 'preview' && (
        <div class="preview prose" aria-live="polite">
          {body.trim() ? <div dangerouslySetInnerHTML={{ __html: alignmentAsClasses(preview) }} /> : <p class="muted">{t('thread.previewEmpty')}</p>}
        </div>
      )}
      <p id={`${id}-hint`} class="hint">
        {t('thread.markdownHint')}
      </p>
      {error && (
        <p id={`${id}-error`} class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="composer-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? t('thread.posting') : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" class="button secondary" onClick={props.onCancel}>
            {t('thread.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
