import DataLoader from 'dataloader';

export interface BatchedReadOptions {
  /** Batches of this read running at once; more wait and fill up meanwhile. */
  inFlight?: number;
  maxBatchSize?: number;
  /** A batch out longer than this stops holding its slot (default 1 s). */
  slowMs?: number;
}

/**
 * A read that many callers ask at the same moment (every socket of a
 * reconnect storm resolving its sign-in, reading a forum's access and its
 * position) taken as one statement for all of them. Each caller's read is
 * still made after its call, never served from an earlier answer (no cache):
 * a batch collects callers until a slot is free, so an idle server sends
 * each read at once (one turn of the event loop later) and a busy one sends
 * a few statements where it would have sent a thousand.
 *
 * `load` answers the keys in order, a value (or an Error for that key alone)
 * per key; if it throws, every caller of that batch gets the error.
 */
export function batchedRead<K, V>(load: (keys: readonly K[]) => Promise<readonly (V | Error)[]>, options: BatchedReadOptions = {}): (key: K) => Promise<V> {
  const slots = options.inFlight ?? 2;
  let running = 0;
  const ready: (() => void)[] = [];
  const pump = () => {
    while (running < slots && ready.length) ready.shift()!();
  };
  const loader = new DataLoader<K, V>(
    async (keys) => {
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        running--;
        pump();
      };
      // A batch stuck on a bad connection gives its slot up, so the reads behind it still go (on other connections).
      const timer = setTimeout(release, options.slowMs ?? 1_000).unref();
      try {
        return await load(keys);
      } finally {
        clearTimeout(timer);
        release();
      }
    },
    {
      cache: false,
      maxBatchSize: options.maxBatchSize ?? 500,
      // Called when a batch opens, before its first key is in: dispatch no sooner than after this turn's I/O.
      batchScheduleFn: (dispatch) => {
        ready.push(() => {
          running++;
          dispatch();
        });
        setImmediate(pump);
      },
    },
  );
  return (key) => loader.load(key);
}
