import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type Account, type ForumDetail, type Reply } from '../api.js';
import { ApiError } from '../api/client.js';
import { moderation, FLAG_REASONS, type ActCommand, type FlagReason } from '../moderation-api.js';
import { errorMessage } from '../components/common.js';
import { formatDate } from '../i18n/index.js';
import { ActDialog, QuestionSelect, ReasonField } from './ActDialog.js';
import { tm, tmn, type ModKey } from './i18n.js';

/** Replies this reader flagged on this page (the server refuses a second flag anyway). */
const flaggedHere = new Set<string>();

type DialogKind = 'hide' | 'unhide' | 'delete' | 'move' | 'reject' | 'flag' | 'silence';

interface Item {
  key: string;
  label: string;
  danger?: boolean;
  disabled?: boolean;
  run(): void;
}

export interface ReplyMenuProps {
  reply: Reply;
  forum: ForumDetail;
  me: Account | null;
  questionId: number;
  /** The reply as it is after an act (the live event brings the same, idempotently). */
  onChanged(reply: Reply): void;
  /** The reply (and its subtree) left this thread. */
  onGone(replyId: string): void;
  onEdit(): void;
  /** A short confirmation or error for the page to show and announce. */
  notify(text: string): void;
}

/**
 * The "⋯" menu of a reply: moderators act on it from here (hide/unhide with
 * a reason, edit, delete, move, feature, approve/reject, silence its
 * author); members flag it. Acts that need a reason or a choice open a
 * dialog. The menu is a button + menu with arrow-key navigation.
 */
export function ReplyMenu(props: ReplyMenuProps) {
  const { reply: r, forum: f, me } = props;
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const name = r.author?.displayName ?? '—';
  const mine = !!me && r.author?.id === me.id;

  const act = async (command: ActCommand) => {
    const result = await moderation.act(command);
    if (result.reply) props.onChanged(result.reply);
    return result;
  };
  const quick = (command: ActCommand) => () => {
    act(command).then(
      () => props.notify(tm('question.done')),
      (e) => props.notify(errorMessage(e)),
    );
  };

  const items: Item[] = [];
  if (f.viewer.canModerate) {
    if (r.state === 'pending') {
      items.push({ key: 'approve', label: tm('menu.approve'), run: quick({ act: 'reply.approve', replyId: r.id }) });
      items.push({ key: 'reject', label: tm('menu.reject'), danger: true, run: () => setDialog('reject') });
    }
    if (r.state === 'visible') items.push({ key: 'hide', label: tm('menu.hide'), run: () => setDialog('hide') });
    if (r.state === 'hidden') items.push({ key: 'unhide', label: tm('menu.unhide'), run: () => setDialog('unhide') });
    if (r.state === 'visible')
      items.push(
        r.featured
          ? { key: 'unfeature', label: tm('menu.unfeature'), run: quick({ act: 'reply.unfeature', replyId: r.id }) }
          : { key: 'feature', label: tm('menu.feature'), run: quick({ act: 'reply.feature', replyId: r.id }) },
      );
    if (r.state !== 'deleted' && r.state !== 'rejected') {
      items.push({ key: 'edit', label: tm('menu.edit'), run: props.onEdit });
      items.push({ key: 'move', label: tm('menu.move'), run: () => setDialog('move') });
      items.push({ key: 'delete', label: tm('menu.delete'), danger: true, run: () => setDialog('delete') });
    }
    if (r.author && !mine) items.push({ key: 'silence', label: tm('menu.silence', { name }), danger: true, run: () => setDialog('silence') });
  } else if (me && !mine && r.state === 'visible' && f.viewer.canPost) {
    const flagged = flaggedHere.has(r.id);
    items.push({ key: 'flag', label: flagged ? tm('menu.flagged') : tm('menu.flag'), disabled: flagged, run: () => setDialog('flag') });
  }

  // Focus moves into the menu as it opens (before the next key press); a click elsewhere closes it.
  useLayoutEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
    const away = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  if (items.length === 0) return null;

  const keydown = (e: KeyboardEvent) => {
    if (!open) {
      if (e.key === 'ArrowDown' && e.target === button.current) {
        e.preventDefault();
        setOpen(true);
      }
      return;
    }
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => entries[(i + entries.length) % entries.length]?.focus();
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(entries.length - 1);
    else if (e.key === 'Escape') {
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'Tab') setOpen(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };

  const menuId = `reply-${r.id}-menu`;
  return (
    <span class="reply-menu" onKeyDown={keydown}>
      <button
        ref={button}
        type="button"
        class="link-button menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={tm('menu.label', { name })}
        title={tm('menu.label', { name })}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <ul ref={menu} id={menuId} role="menu" class="menu" aria-label={tm('menu.label', { name })}>
          {items.map((item) => (
            <li role="none" key={item.key}>
              <button
                type="button"
                role="menuitem"
                class={item.danger ? 'danger' : undefined}
                disabled={item.disabled}
                tabIndex={-1}
                onClick={() => {
                  setOpen(false);
                  // Focus goes back to the menu button (and returns there when a dialog closes).
                  button.current?.focus();
                  item.run();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {dialog && <ReplyActDialog kind={dialog} {...props} act={act} close={() => setDialog(null)} />}
    </span>
  );
}

function ReplyActDialog(props: ReplyMenuProps & { kind: DialogKind; act(c: ActCommand): Promise<unknown>; close(): void }) {
  const { kind, reply: r } = props;
  const name = r.author?.displayName ?? '—';
  const [reason, setReason] = useState('');
  const trimmed = reason.trim() || undefined;

  if (kind === 'hide')
    return (
      <ActDialog
        title={tm('hide.title')}
        submitLabel={tm('hide.submit')}
        danger
        onClose={props.close}
        onSubmit={async () => {
          if (!trimmed) throw new Error(tm('dialog.reasonNeeded'));
          await props.act({ act: 'reply.hide', replyId: r.id, reason: trimmed });
        }}
      >
        <ReasonField value={reason} onInput={setReason} required autoFocus hint={tm('dialog.reasonShown')} />
      </ActDialog>
    );
  if (kind === 'delete' || kind === 'reject' || kind === 'unhide')
    return (
      <ActDialog
        title={tm(`${kind}.title`)}
        submitLabel={tm(`${kind}.submit`)}
        danger={kind !== 'unhide'}
        onClose={props.close}
        onSubmit={async () => {
          await props.act({ act: `reply.${kind}`, replyId: r.id, reason: trimmed });
        }}
      >
        <p>{tm(`${kind}.text`)}</p>
        <ReasonField value={reason} onInput={setReason} autoFocus hint={tm('dialog.reasonRecorded')} />
      </ActDialog>
    );
  if (kind === 'move') return <MoveDialog {...props} reason={reason} setReason={setReason} />;
  if (kind === 'flag') return <FlagDialog {...props} />;
  return <SilenceDialog {...props} name={name} reason={reason} setReason={setReason} />;
}

function MoveDialog(props: ReplyMenuProps & { act(c: ActCommand): Promise<unknown>; close(): void; reason: string; setReason(v: string): void }) {
  const [to, setTo] = useState('');
  return (
    <ActDialog
      title={tm('move.title')}
      submitLabel={tm('move.submit')}
      onClose={props.close}
      onSubmit={async () => {
        if (!to) throw new Error(tm('move.chooseNeeded'));
        await props.act({ act: 'reply.move', replyId: props.reply.id, toQuestionId: Number(to), reason: props.reason.trim() || undefined });
        props.onGone(props.reply.id);
      }}
    >
      <p>{tm('move.text')}</p>
      <QuestionSelect forumId={props.forum.id} exclude={props.questionId} label={tm('move.to')} value={to} onChange={setTo} />
      <ReasonField value={props.reason} onInput={props.setReason} hint={tm('dialog.reasonRecorded')} />
    </ActDialog>
  );
}

function FlagDialog(props: ReplyMenuProps & { close(): void }) {
  const [why, setWhy] = useState<FlagReason | ''>('');
  const [note, setNote] = useState('');
  const id = `flag-${props.reply.id}`;
  return (
    <ActDialog
      title={tm('flag.title')}
      submitLabel={tm('flag.submit')}
      onClose={props.close}
      onSubmit={async () => {
        if (!why) throw new Error(tm('flag.why'));
        if (why === 'other' && !note.trim()) throw new Error(tm('flag.noteNeeded'));
        try {
          await moderation.flag(props.reply.id, why, note.trim() || undefined);
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 'already_flagged')) throw e;
          flaggedHere.add(props.reply.id);
          throw new Error(tm('flag.already'));
        }
        flaggedHere.add(props.reply.id);
        props.notify(tm('flag.sent'));
      }}
    >
      <fieldset class="choices">
        <legend>{tm('flag.why')}</legend>
        {FLAG_REASONS.map((reason, i) => (
          <label key={reason} class="choice">
            <input type="radio" name={id} value={reason} checked={why === reason} onChange={() => setWhy(reason)} autoFocus={i === 0} />{' '}
            {tm(`flag.reason.${reason}` as ModKey)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`${id}-note`}>{tm('flag.note')}</label>
        <textarea id={`${id}-note`} rows={3} maxLength={500} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
      </div>
    </ActDialog>
  );
}

const SILENCE_CHOICES: { minutes: number; label: () => string }[] = [
  { minutes: 15, label: () => tmn('silence.minutes', 15) },
  { minutes: 60, label: () => tmn('silence.hours', 1) },
  { minutes: 60 * 24, label: () => tmn('silence.days', 1) },
  { minutes: 60 * 24 * 7, label: () => tmn('silence.days', 7) },
];

function SilenceDialog(props: ReplyMenuProps & { act(c: ActCommand): Promise<unknown>; close(): void; name: string; reason: string; setReason(v: string): void }) {
  const [minutes, setMinutes] = useState(60);
  const id = `silence-${props.reply.id}`;
  return (
    <ActDialog
      title={tm('silence.title', { name: props.name })}
      submitLabel={tm('silence.submit')}
      danger
      onClose={props.close}
      onSubmit={async () => {
        const until = new Date(Date.now() + minutes * 60_000).toISOString();
        await props.act({ act: 'member.silence', forumId: props.forum.id, accountId: props.reply.author!.id, until, reason: props.reason.trim() || undefined });
        props.notify(tm('silence.done', { name: props.name, until: formatDate(until, 'datetime') }));
      }}
    >
      <p>{tm('silence.text')}</p>
      <div class="field">
        <label for={id}>{tm('silence.for')}</label>
        <select id={id} value={String(minutes)} onChange={(e) => setMinutes(Number((e.currentTarget as HTMLSelectElement).value))}>
          {SILENCE_CHOICES.map((c) => (
            <option key={c.minutes} value={String(c.minutes)}>
              {c.label()}
            </option>
          ))}
        </select>
      </div>
      <ReasonField value={props.reason} onInput={props.setReason} hint={tm('dialog.reasonRecorded')} />
    </ActDialog>
  );
}
