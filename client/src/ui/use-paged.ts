import { useEffect, useRef, useState } from 'preact/hooks';

/** A paged list loaded with `load(after)`; `reset` changes start it again. */
export function usePaged<T>(load: (after: string | null) => Promise<{ items: T[]; nextCursor: string | null }>, reset: unknown[]) {
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [more, setMore] = useState(false);
  const run = useRef(0);
  const first = () => {
    const id = ++run.current;
    setError(null);
    load(null).then(
      (page) => {
        if (id !== run.current) return;
        setItems(page.items);
        setNext(page.nextCursor);
      },
      (e) => id === run.current && setError(e),
    );
  };
  useEffect(first, reset);
  const loadMore = async () => {
    if (!next) return;
    setMore(true);
    try {
      const page = await load(next);
      setItems((list) => [...(list ?? []), ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setMore(false);
    }
  };
  return { items, setItems, next, error, more, loadMore, reload: first };
}
