// The accessibility check every page goes through: axe-core (WCAG 2.x A/AA rules and best
// practices) on the page as it is now, failing on any critical or serious violation. Moderate
// and minor ones are returned so a spec can assert on the ones it cares about (one h1, no
// nested main).
import AxeBuilder from '@axe-core/playwright';

const BLOCKING = new Set(['critical', 'serious']);

/** One line per violation and node, short enough to read in a failed test. */
export function describeViolations(violations) {
  return violations
    .flatMap((v) => v.nodes.slice(0, 5).map((n) => `  [${v.impact}] ${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join(' ').trim()}\n      ${n.html.slice(0, 200)}`))
    .join('\n');
}

/**
 * Runs axe on the page (waits for the network and antd's fade-ins first). Throws, naming each
 * node, when anything critical or serious is found; returns every violation otherwise.
 * `exclude` takes CSS selectors of parts this check does not own (none by default).
 */
export async function checkA11y(page, label, { exclude = [] } = {}) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(500);
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  for (const sel of exclude) builder = builder.exclude(sel);
  const { violations } = await builder.analyze();
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  if (blocking.length) {
    throw new Error(`${label}: ${blocking.length} critical/serious accessibility rule(s) fail\n${describeViolations(blocking)}`);
  }
  return violations;
}
