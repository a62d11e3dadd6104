// Group commit: many small writes that arrive together go to the database as one statement.
// While earlier items are at the database, the items that arrive meanwhile wait together and
// then go as one batch; an item that finds nothing in flight goes at once, alone, so batching
// never adds a wait an idle database would not have had. Lane scans (testing), the outbox's
// send outcomes and delivery receipts, and the event bus's NOTIFYs all go this way.

export interface GroupCommitOptions<I, O> {
  /** Writes a batch; answers one result per item, in the order given. */
  run(items: I[]): Promise<O[]>;
  /** Statements in flight at once (default 2): the rest of the pool stays free for everything else. */
  inFlight?: number;
  /** Most items per statement (default 200). */
  maxBatch?: number;
  /**
   * How long items wait for more before a batch of fewer than maxBatch goes (default 0: at once).
   * Only for writes nobody waits on (the outbox's outcomes and receipts): at thousands a second,
   * statements of nine rows each were a commit per nine messages.
   */
  lingerMs?: number;
  /** Orders a batch before it runs (a stable sort: rows locked in one order never deadlock with each other). */
  compare?(a: I, b: I): number;
}

export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>;
  /** Resolves when everything submitted so far is written (or failed). */
  idle(): Promise<void>;
}

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

export function groupCommit<I, O>(options: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  const inFlightMax = options.inFlight ?? 2;
  const maxBatch = options.maxBatch ?? 200;
  const queue: Waiting<I, O>[] = [];
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (inFlight === 0 && queue.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  const run = async (batch: Waiting<I, O>[]) => {
    const compare = options.compare;
    const ordered = compare && batch.length > 1 ? [...batch].sort((a, b) => compare(a.item, b.item)) : batch;
    try {
      const out = await options.run(ordered.map((w) => w.item));
      ordered.forEach((w, i) => w.resolve(out[i]));
    } catch (err) {
      if (ordered.length === 1) return ordered[0].reject(err);
      // The statement failed (a deadlock, one bad row): nothing of it was written. Each item
      // tries again on its own, so only an item that fails alone fails.
      for (const w of ordered) {
        try {
          w.resolve((await options.run([w.item]))[0]);
        } catch (e) {
          w.reject(e);
        }
      }
    }
  };

  const lingerMs = options.lingerMs ?? 0;
  let lingering: NodeJS.Timeout | undefined;

  const start = () => {
    const batch = queue.splice(0, maxBatch);
    inFlight++;
    void run(batch).finally(() => {
      inFlight--;
      pump();
      settleIdle();
    });
  };

  const pump = () => {
    while (inFlight < inFlightMax && queue.length) {
      if (lingerMs > 0 && queue.length < maxBatch) {
        lingering ??= setTimeout(() => {
          lingering = undefined;
          while (inFlight < inFlightMax && queue.length) start();
        }, lingerMs);
        return;
      }
      // a full batch goes now; what is left waits afresh
      clearTimeout(lingering);
      lingering = undefined;
      start();
    }
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    idle() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((r) => idleWaiters.push(r));
    },
  };
}

/** One group commit per owner (a database, an app context), made on its first use. */
export function groupCommitPer<K extends object, I, O>(options: (owner: K) => GroupCommitOptions<I, O>): (owner: K) => GroupCommit<I, O> {
  const made = new WeakMap<K, GroupCommit<I, O>>();
  return (owner) => {
    let g = made.get(owner);
    if (!g) made.set(owner, (g = groupCommit(options(owner))));
    return g;
  };
}

/** A `compare` for items ordered by one text key (the rows they lock). */
export const byKey =
  <I>(key: (item: I) => string) =>
  (a: I, b: I) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
