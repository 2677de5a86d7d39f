import { useEffect, useState } from 'preact/hooks';
import { ErrorView, Loading } from '../ui/common.js';
import { qa } from './qa-api.js';
import { navigate, paths } from '../router.js';

/** `/j/CODE`, the short address on the presenter screen: opens the session's attendee view. */
export function JoinPage({ code }: { code: string }) {
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    qa.findJoinCode(code).then(
      (found) => navigate(paths.qa(found.sessionSlug), { replace: true }),
      (e) => setError(e),
    );
  }, [code, attempt]);
  return error ? <ErrorView error={error} retry={() => { setError(null); setAttempt((a) => a + 1); }} /> : <Loading />;
}
