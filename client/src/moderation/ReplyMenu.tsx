import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Account, ForumDetail, Reply } from '../api.js';
import { moderation, type ActCommand } from './moderation-api.js';
import { errorMessage } from '../ui/common.js';
import { tm } from './i18n.js';
import { flaggedHere, ReplyActDialog, type DialogKind } from './ReplyActDialog.js';

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
