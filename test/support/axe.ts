import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshotPath } from './browser';

/** Runs axe on the page as it is now; fails on any serious or critical violation, naming rule and nodes. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Axe measures colours as drawn: a dialog still fading in (ink-fade, ink-rise) read as low
  // contrast on a busy CI machine (the command palette's labels, once). Finite animations end first.
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().activeDuration === Infinity),
  );
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const said = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(said, `axe on "${screen}"`).toEqual([]);
}

/** Switches the renderer's theme the way the app's setting does (data-theme on <html>). */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
}

/** Narrow and dark variants: looked at on every run, kept out of the README's docs/screenshots. */
const variant = (name: string) => `test-results/screenshots/${name}.png`;

/** A screen looked at wide and narrow, light and dark, with no serious axe finding in either theme. */
export async function lookAt(page: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: w === 1440 ? screenshotPath(name) : variant(`${name}-${w}`) });
  }
  await expectAccessible(page, `${name} (light)`);
  await setTheme(page, 'dark');
  await page.screenshot({ path: variant(`${name}-dark`) });
  await expectAccessible(page, `${name} (dark)`);
  await setTheme(page, 'light');
  await page.setViewportSize({ width: 1280, height: 800 });
}
