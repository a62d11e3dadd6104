import { describe, expect, it } from 'vitest';
import { pacer } from './pace.js';

const timeOf = async (calls: number, rate: number) => {
  const pace = pacer(rate);
  const started = performance.now();
  for (let i = 0; i < calls; i++) await pace();
  return performance.now() - started;
};

describe('pacer', () => {
  it('holds the rate: 40 sends at 200/s take about 200 ms', async () => {
    expect(await timeOf(40, 200)).toBeGreaterThanOrEqual(180);
  });

  it('is not capped near 1,000/s by timer ticks: 2,000 sends at 20,000/s take about 100 ms, not 2 s', async () => {
    const ms = await timeOf(2000, 20_000);
    expect(ms).toBeGreaterThanOrEqual(95);
    expect(ms).toBeLessThan(1000);
  });
});
