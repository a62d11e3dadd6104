import { describe, expect, it } from 'vitest';
import { byKey, groupCommit, groupCommitPer } from './group-commit.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('group commit', () => {
  it('sends an item alone when nothing is in flight, and the items that arrive meanwhile together', async () => {
    const batches: number[][] = [];
    const g = groupCommit<number, number>({
      inFlight: 1,
      run: async (items) => {
        batches.push(items);
        await tick();
        return items.map((i) => i * 10);
      },
    });
    const answers = await Promise.all([1, 2, 3, 4].map((i) => g.submit(i)));
    expect(answers).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('with a linger, items submitted apart go together; a full batch goes at once', async () => {
    const batches: number[][] = [];
    const g = groupCommit<number, number>({
      inFlight: 1,
      maxBatch: 4,
      lingerMs: 10_000, // far longer than the test: only a full batch or the gather below sends
      run: async (items) => {
        batches.push(items);
        return items;
      },
    });
    // three items in separate turns of the event loop wait together; the fourth fills the batch
    const sent = [g.submit(1)];
    await new Promise((r) => setImmediate(r));
    sent.push(g.submit(2));
    await new Promise((r) => setImmediate(r));
    sent.push(g.submit(3));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([]);
    sent.push(g.submit(4));
    expect(await Promise.all(sent)).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('keeps at most maxBatch items to a statement and inFlight statements at once', async () => {
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const g = groupCommit<number, void>({
      inFlight: 2,
      maxBatch: 3,
      run: async (items) => {
        running++;
        most = Math.max(most, running);
        sizes.push(items.length);
        await tick();
        running--;
        return items.map(() => undefined);
      },
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => g.submit(i)));
    expect(most).toBe(2);
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('orders a batch with compare, and answers each item its own result', async () => {
    const seen: string[][] = [];
    const g = groupCommit<string, string>({
      inFlight: 1,
      compare: (a, b) => a.localeCompare(b),
      run: async (items) => {
        seen.push(items);
        await tick();
        return items.map((s) => s.toUpperCase());
      },
    });
    const answers = await Promise.all(['first', 'c', 'a', 'b'].map((s) => g.submit(s)));
    expect(answers).toEqual(['FIRST', 'C', 'A', 'B']);
    expect(seen[1]).toEqual(['a', 'b', 'c']);
  });

  it('when a batch fails, tries each item alone, so only the item that fails alone fails', async () => {
    const g = groupCommit<number, number>({
      inFlight: 1,
      run: async (items) => {
        await tick();
        if (items.includes(13)) throw new Error('bad row 13');
        return items;
      },
    });
    const results = await Promise.allSettled([1, 2, 13, 4].map((i) => g.submit(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('bad row 13');
  });

  it('idle() waits for everything submitted', async () => {
    const done: number[] = [];
    const g = groupCommit<number, void>({
      run: async (items) => {
        await tick();
        done.push(...items);
        return items.map(() => undefined);
      },
    });
    await g.idle();
    for (let i = 0; i < 10; i++) void g.submit(i);
    await g.idle();
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('groupCommitPer makes one per owner, on first use; byKey orders by a text key', async () => {
    const made: object[] = [];
    const per = groupCommitPer((owner: object) => {
      made.push(owner);
      return { run: async (items: string[]) => items };
    });
    const a = {};
    const b = {};
    expect(per(a)).toBe(per(a));
    expect(per(b)).not.toBe(per(a));
    expect(made).toEqual([a, b]);
    expect(['b', 'c', 'a'].map((k) => ({ k })).sort(byKey((x: { k: string }) => x.k)).map((x) => x.k)).toEqual(['a', 'b', 'c']);
  });
});
