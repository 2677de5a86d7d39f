import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { t, type MessageKey } from '../i18n/index.js';
import { paths } from '../router.js';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  setData(update: (current: T | undefined) => T | undefined): void;
}

/** Runs a load when its inputs change; the answer of a superseded load is dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  useEffect(() => {
    const id = ++run.current;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => id === run.current && setState({ data, loading: false }),
      (error) => id === run.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const setData = useCallback((update: (current: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: update(s.data) })), []);
  return { data: state.data, error: state.error, loading: state.loading, reload, setData };
}

export function useTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title]);
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t('loading')}
    </p>
  );
}

export function ErrorView({ error, retry }: { error: unknown; retry?: () => void }) {
  if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return <NotFound />;
  const message = error instanceof ApiError && error.status === 0 ? t('error.network') : error instanceof Error ? error.message : String(error);
  return (
    <section class="panel error-panel" role="alert">
      <h1 tabIndex={-1}>{t('error.title')}</h1>
      <p>{message}</p>
      {retry && (
        <button type="button" class="button" onClick={retry}>
          {t('error.retry')}
        </button>
      )}
    </section>
  );
}

export function NotFound() {
  useTitle(t('error.notFound'));
  return (
    <section class="panel">
      <h1 tabIndex={-1}>{t('error.notFound')}</h1>
      <p>{t('error.notFoundText')}</p>
      <p>
        <a href={paths.sessions()}>{t('error.home')}</a>
      </p>
    </section>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'live' | 'info' | 'warn' | 'ok'; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

/** Server-sanitised HTML (reply and question bodies). Never used for anything built from raw input. */
export function ServerHtml({ html, class: className }: { html: string; class?: string }) {
  return <div class={className ? `prose ${className}` : 'prose'} dangerouslySetInnerHTML={{ __html: alignmentAsClasses(html) }} />;
}

/**
 * Markdown table cells carry their alignment as `style="text-align:…"`; the
 * page's CSP allows no style attributes, so they become classes
 * (`align-left|center|right`, in styles.css) before the HTML is inserted.
 */
export function alignmentAsClasses(html: string): string {
  return html.replace(/<(th|td) style="text-align:\s*(left|right|center);?"/g, '<$1 class="align-$2"');
}

const TRANSLATED_CODES = new Set(['invalid_credentials', 'email_taken', 'rate_limited', 'unauthenticated', 'database_unavailable', 'shutting_down', 'member_questions_off', 'question_not_published', 'not_proposed']);

/** The message of an API error for the reader: in their language for the common codes, else the server's words. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    if (TRANSLATED_CODES.has(error.code)) return t(`apiError.${error.code}` as MessageKey);
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
