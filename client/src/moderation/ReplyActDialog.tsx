import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { moderation, FLAG_REASONS, type ActCommand, type FlagReason } from './moderation-api.js';
import { formatDate } from '../i18n/index.js';
import { ActDialog, QuestionSelect, ReasonField } from './ActDialog.js';
import { tm, tmn, type ModKey } from './i18n.js';
import type { ReplyMenuProps } from './ReplyMenu.js';

/** Replies this reader flagged on this page (the server refuses a second flag anyway). */
export const flaggedHere = new Set<string>();

/** The acts on a reply that open a dialog (for a reason or a choice). */
export type DialogKind = 'hide' | 'unhide' | 'delete' | 'move' | 'reject' | 'flag' | 'silence';

/** The dialog of an act on a reply, by kind: it asks for what the act needs, then acts. */
export function ReplyActDialog(props: ReplyMenuProps & { kind: DialogKind; act(c: ActCommand): Promise<unknown>; close(): void }) {
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
