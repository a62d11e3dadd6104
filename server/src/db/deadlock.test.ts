import { describe, expect, it } from 'vitest';
import { retryDeadlocks } from './deadlock.js';

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('retryDeadlocks', () => {
  it('runs again after a lost deadlock, up to the attempts given', async () => {
    let runs = 0;
    expect(await retryDeadlocks(3, async () => (++runs < 3 ? Promise.reject(deadlock()) : 'done'))).toBe('done');
    expect(runs).toBe(3);
    runs = 0;
    await expect(retryDeadlocks(2, async () => (++runs, Promise.reject(deadlock())))).rejects.toThrow('deadlock detected');
    expect(runs).toBe(2);
  });

  it('passes any other error on at once', async () => {
    let runs = 0;
    await expect(retryDeadlocks(5, async () => (++runs, Promise.reject(new Error('other'))))).rejects.toThrow('other');
    expect(runs).toBe(1);
  });
});
