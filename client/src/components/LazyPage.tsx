import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorView, Loading } from './common.js';

/**
 * A page whose code is loaded when it is first shown, so pages most readers
 * never open (moderation) stay out of the first page's JS.
 */
export function LazyPage<P extends object>({ load, props }: { load: () => Promise<FunctionComponent<P>>; props: P }) {
  const [state, setState] = useState<{ page?: FunctionComponent<P>; error?: unknown }>({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (page) => live && setState({ page }),
      (error) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  if (state.error) return <ErrorView error={state.error} retry={() => setAttempt((n) => n + 1)} />;
  if (!state.page) return <Loading />;
  const Page = state.page;
  return <Page {...props} />;
}
