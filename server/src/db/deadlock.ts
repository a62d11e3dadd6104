// PostgreSQL breaks a deadlock by failing one of the transactions in it (deadlock_detected); the
// other goes on. Work whose locks can meet another process's in another order (pg-boss creating
// queues, a batch of sign-in asks locking numbers and addresses) runs again when it was the one.

const DEADLOCK_DETECTED = '40P01';

export const isDeadlock = (err: unknown) => (err as { code?: string } | null)?.code === DEADLOCK_DETECTED;

/** Runs `work`, again after a short random wait each time it lost a deadlock, at most `attempts` times. */
export async function retryDeadlocks<T>(attempts: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isDeadlock(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
    }
  }
}
