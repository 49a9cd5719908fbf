/** axe-core in the page under test: the serious and critical accessibility violations, as "rule (nodes)". */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export async function axeSerious(page: Page): Promise<string[]> {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.addScriptTag({ content: readFileSync(axePath, 'utf8') }).catch(async () => {
    // The strict CSP refuses an inline script: evaluate axe's source in the page instead.
    await page.evaluate(readFileSync(axePath, 'utf8'));
  });
  const violations = await page.evaluate(async () => (await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations as { id: string; impact: string; nodes: unknown[] }[]);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}
