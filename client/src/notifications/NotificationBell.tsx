import { useEffect, useState } from 'preact/hooks';
import type { Account } from '../api.js';
import { t, tn, type MessageKey } from '../i18n/index.js';
import { notificationsApi, type AppNotification, type NotificationGroup } from './notifications-api.js';
import { navigate } from '../router.js';
import { loadLive } from '../ui/use-follow.js';

/** What one notification says, in the reader's language. */
export function notificationText(n: AppNotification): string {
  return t(`notif.${n.kind}` as MessageKey, {
    who: n.actor?.displayName ?? t('notif.someone'),
    title: String(n.data.questionTitle ?? ''),
    reason: String(n.data.reason ?? ''),
  });
}

/**
 * The bell in the header: the unread count, live over the socket (the
 * account's room), and a list grouped by thread with mark read / all read.
 */
export function NotificationBell({ me }: { me: Account }) {
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [groups, setGroups] = useState<NotificationGroup[] | null>(null);

  const refresh = () => notificationsApi.unread().then((r) => setUnread(r.unread), () => undefined);
  const reload = () => notificationsApi.list().then((r) => (setGroups(r.groups), setUnread(r.unread)), () => undefined);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    refresh();
    loadLive().then((live) => {
      if (cancelled) return;
      stop = live.watchNotifications((m) => {
        setUnread(m.unread);
        if (m.notification) setGroups(null); // the open list reads again
      }, refresh);
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [me.id]);

  useEffect(() => {
    if (open && groups === null) reload();
  }, [open, groups]);

  const go = (n: AppNotification) => {
    setOpen(false);
    void notificationsApi.markRead({ ids: [n.id] }).then((r) => setUnread(r.unread), () => undefined);
    navigate(n.link);
  };
  const markAll = async () => {
    const r = await notificationsApi.markRead({ all: true });
    setUnread(r.unread);
    setGroups(null);
  };

  const count = unread ?? 0;
  return (
    <span class="bell">
      <button
        type="button" class="button small secondary bell-button" data-testid="bell" aria-expanded={open}
        aria-label={count ? tn('bell.unread', count) : t('bell.label')} onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">🔔</span>
        {count > 0 ? <span class="bell-count" data-testid="bell-count">{count > 99 ? '99+' : count}</span> : null}
      </button>
      {open ? (
        <div class="bell-panel" role="dialog" aria-label={t('bell.label')} data-testid="bell-panel">
          <div class="bell-tools">
            <button type="button" class="button small" onClick={markAll} disabled={count === 0}>{t('bell.markAll')}</button>
            <a href="/account/notifications" onClick={() => setOpen(false)}>{t('bell.settings')}</a>
          </div>
          {groups === null ? (
            <p>{t('loading')}</p>
          ) : groups.length === 0 ? (
            <p>{t('bell.empty')}</p>
          ) : (
            <ul class="bell-groups">
              {groups.map((g) => (
                <li key={`${g.questionId ?? 'n'}-${g.items[0].id}`} class={g.unread ? 'is-unread' : undefined}>
                  {g.questionTitle && g.count > 1 ? <strong>{tn('bell.inThread', g.count, { title: g.questionTitle })}</strong> : null}
                  <ul>
                    {g.items.slice(0, 5).map((n) => (
                      <li key={n.id} class={n.readAt ? undefined : 'is-unread'}>
                        <a href={n.link} data-testid="notification" onClick={(e) => (e.preventDefault(), go(n))}>{notificationText(n)}</a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </span>
  );
}
