import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { navigate, paths, useLocation } from '../router.js';

/** The header's search box; `/` anywhere outside a text field focuses it. */
export function HeaderSearch() {
  const loc = useLocation();
  const input = useRef<HTMLInputElement>(null);
  const current = loc.path === '/search' ? (loc.search.get('q') ?? '') : '';
  const [q, setQ] = useState(current);
  useEffect(() => setQ(current), [current]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const submit = (e: Event) => {
    e.preventDefault();
    if (q.trim()) navigate(paths.search(q.trim()));
  };
  return (
    <form class="header-search" role="search" onSubmit={submit}>
      <label>
        <span class="sr-only">{t('search.label')}</span>
        <input
          ref={input}
          type="search"
          name="q"
          value={q}
          maxLength={200}
          placeholder={t('search.placeholder')}
          aria-keyshortcuts="/"
          onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
    </form>
  );
}
