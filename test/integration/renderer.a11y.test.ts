import { describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '../../server/demo/seed';
import { expectAccessible, setTheme } from '../support/axe';
import { uiSuite, openApp, signInThroughUi } from '../support/browser';

const suite = uiSuite();

/**
 * One screen to check: `open` brings the page there from the signed-in workspace (a persona's
 * landing screen), `close` puts it back. Other areas add their screens to SCREENS.
 */
interface Screen {
  name: string;
  open: (page: Page) => Promise<void>;
  close?: (page: Page) => Promise<void>;
  /** Personas this screen exists for (default: all). */
  only?: (keyof typeof DEMO_USERS)[];
}

const escape = (page: Page) => page.keyboard.press('Escape');
const firstRecord = async (page: Page) => {
  await page.getByRole('listbox', { name: 'Record list' }).getByRole('option').first().click();
  await page.locator('.editor:not(.empty)').first().waitFor();
};

export const SCREENS: Screen[] = [
  { name: 'workspace: list and editor', open: firstRecord },
  { name: 'media library', open: (page) => page.getByRole('button', { name: 'Media', exact: true }).click().then(() => page.getByRole('region', { name: 'Media library' }).waitFor()), only: ['admin', 'editor', 'media'] },
  { name: 'command palette open', open: (page) => page.keyboard.press('Control+k').then(() => page.getByRole('dialog', { name: 'Command palette' }).waitFor()), close: escape },
  { name: 'account menu open', open: (page) => page.getByRole('button', { name: 'Account menu' }).click().then(() => page.getByRole('menu', { name: 'Account' }).waitFor()), close: escape },
  {
    name: 'about dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'About Inkstone' }).click();
      await page.getByRole('dialog', { name: 'About Inkstone' }).waitFor();
    },
    close: escape,
  },
  { name: 'sync details popover', open: (page) => page.getByRole('button', { name: 'Sync details' }).click().then(() => page.getByRole('dialog', { name: /./ }).first().waitFor()), close: escape },
  { name: 'sync activity panel', open: (page) => page.getByRole('button', { name: /Sync activity/ }).click().then(() => page.getByRole('complementary', { name: 'Sync' }).waitFor()), close: (page) => page.getByRole('button', { name: 'Close sync activity' }).click() },
  {
    name: 'sign-out dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out…' }).click();
      await page.getByRole('dialog', { name: 'Sign out' }).waitFor();
    },
    close: escape,
  },
];

const PERSONAS = Object.keys(DEMO_USERS) as (keyof typeof DEMO_USERS)[];

/** Switches theme with transitions off (reduced motion), so axe measures the colours the theme ends on, not a frame of the fade between them. */
async function theme(page: Page, t: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await setTheme(page, t);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe('accessibility (issue 11): axe on every screen, for every persona, light and dark — 0 serious/critical', () => {
  it('sign-in screen', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    try {
      await app.page.getByLabel('Email').waitFor();
      for (const t of ['light', 'dark'] as const) {
        await theme(app.page, t);
        await expectAccessible(app.page, `sign-in (${t})`);
      }
    } finally {
      await app.close();
    }
  }, 60_000);

  for (const persona of PERSONAS) {
    it(`${persona}: every screen`, async () => {
      const app = await openApp(suite.browser, suite.ui.url);
      const { page } = app;
      try {
        await signInThroughUi(page, DEMO_USERS[persona]);
        for (const screen of SCREENS.filter((s) => !s.only || s.only.includes(persona))) {
          await screen.open(page);
          for (const t of ['light', 'dark'] as const) {
            await theme(page, t);
            await expectAccessible(page, `${screen.name} as ${persona} (${t})`);
          }
          await screen.close?.(page);
        }
      } finally {
        await app.close();
      }
    }, 300_000);
  }

  it('signed out, copy kept: the kept-drafts screen and the read-only drafts', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out…' }).click();
      await page.getByRole('dialog', { name: 'Sign out' }).getByRole('button', { name: /keep/i }).click();
      const kept = page.getByRole('region', { name: 'Kept on this computer' });
      await kept.waitFor();
      for (const t of ['light', 'dark'] as const) {
        await theme(page, t);
        await expectAccessible(page, `signed out, kept copy (${t})`);
      }
      await kept.getByRole('button', { name: 'Open drafts' }).click();
      await firstRecord(page);
      for (const t of ['light', 'dark'] as const) {
        await theme(page, t);
        await expectAccessible(page, `signed out, drafts read-only (${t})`);
      }
    } finally {
      await app.close();
    }
  }, 90_000);
});
