// Pacing a channel to its rate: each send takes the next slot, 1/rate apart. A send whose slot
// is less than a millisecond away goes at once: a timer cannot wait less than about 1 ms, so
// sleeping for every fraction would cap a channel near 1,000 a second whatever its rate (the
// outbox reached 505 SMS/s against an SMSC a bare loop fed at 8,630/s). The rate still holds
// over any stretch longer than a millisecond.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A function each send awaits before it goes. */
export function pacer(ratePerSecond: number): () => Promise<void> {
  const gap = 1000 / ratePerSecond;
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + gap;
    if (at - now >= 1) await sleep(at - now);
  };
}
