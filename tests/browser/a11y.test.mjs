// Accessibility: axe-core with the WCAG 2.x A/AA tags (2.2 included) on every lab, at desktop and
// phone sizes, embedded and in the dark theme, after the work is done. No serious or critical violation may remain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { harness } from './harness.mjs';

const h = harness();
// the Hebbian link launches a trajectory, so its player is checked too
const SMALL = { hebbian: 'grid=30&launch=0.4,-0.3', curl: '', rnn: 'n=16&t=20&iters=20&siters=5&k=4', fixed_points: 'grid=30' };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

test('axe finds no serious or critical WCAG 2.2 AA violation, in any lab, size or embed', async () => {
  const found = [];
  for (const [lab, small] of Object.entries(SMALL)) {
    for (const [width, height, extra, name] of [[1280, 800, '', 'desktop'], [390, 844, '', 'phone'], [600, 500, '&embed=1', 'embed'], [1280, 800, '', 'dark']]) {
      const { page, context } = await h.open(`?lab=${lab}&${small}${extra}`, { width, height, colorScheme: name === 'dark' ? 'dark' : 'light' });
      // every disclosure open, so that what it holds is checked too
      await page.$$eval('section.lab:not([hidden]) details.data', (ds) => ds.forEach((d) => { d.open = true; }));
      await page.waitForTimeout(100);
      const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      for (const v of r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        found.push(`${lab} ${name}: ${v.id} (${v.impact}) on ${v.nodes.length} nodes, e.g. ${v.nodes[0].target.join(' ')}: ${v.nodes[0].failureSummary.split('\n').slice(0, 2).join(' ')}`);
      }
      await context.close();
    }
  }
  assert.deepEqual(found, []);
});
