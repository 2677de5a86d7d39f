import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/app.js';
import { describeInBrowser, ensureClientBuilt, launchBrowser, personContext, screenshot, watchErrors } from './support/browser.js';
import { addMember, newForum, newQuestion, newSession } from './support/forum-factory.js';
import { createAccount, type TestPerson } from './support/people.js';

/**
 * Issue 18 in the web client: a member proposes a question from the forum
 * page and sees it marked "Awaiting approval"; another member doesn't see it;
 * the moderator approves it from the queue and the other member's open forum
 * page shows it.
 */
describeInBrowser('members propose questions in the web client', () => {
  let t: TestApp;
  let browser: Browser;
  let ana: TestPerson;
  let luis: TestPerson;
  let marta: TestPerson;
  let forum: { id: number };
  const contexts: BrowserContext[] = [];

  const pageFor = async (who: TestPerson): Promise<Page> => {
    const context = await personContext(browser, t, { email: who.email, password: who.password, locale: 'en-GB' });
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    ensureClientBuilt();
    t = await startTestApp();
    browser = await launchBrowser();
    [ana, luis, marta] = await Promise.all([
      createAccount(t, { displayName: 'Ana Ferrer' }),
      createAccount(t, { displayName: 'Luis Moreno' }),
      createAccount(t, { displayName: 'Marta Moderadora' }),
    ]);
    const session = await newSession(t, { title: 'Digital public services' });
    forum = await newForum(t, { sessionId: session.id, title: 'Learning forum on digitalisation' });
    await addMember(t, forum.id, marta.id, 'moderator');
    await addMember(t, forum.id, ana.id, 'member');
    await addMember(t, forum.id, luis.id, 'member');
    await newQuestion(t, forum.id, { title: 'How is your administration adapting?' });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  }, 30_000);

  it('propose → awaiting approval for its author only → approved from the queue → the other member sees it', async () => {
    const anaPage = await pageFor(ana);
    const luisPage = await pageFor(luis);
    const martaPage = await pageFor(marta);
    const errors = [...watchErrors(anaPage), ...watchErrors(luisPage), ...watchErrors(martaPage)];

    await anaPage.goto(`/forums/${forum.id}`);
    const form = anaPage.getByRole('region', { name: 'Propose a question' });
    await form.getByRole('textbox', { name: 'Your question' }).fill('Who maintains the open data portal?');
    await form.getByRole('textbox', { name: 'Details (optional)' }).fill('We are about to start one.');
    await form.getByRole('button', { name: 'Propose' }).click();
    await form.getByText('Your question was sent to the moderators').waitFor();
    const mine = anaPage.locator('.agenda li', { hasText: 'Who maintains the open data portal?' });
    await mine.getByText('Awaiting approval').waitFor();
    await screenshot(anaPage, 'member-question-awaiting');

    // Luis doesn't see it; the moderator's queue lists it.
    await luisPage.goto(`/forums/${forum.id}`);
    await luisPage.getByText('How is your administration adapting?').waitFor();
    expect(await luisPage.getByText('Who maintains the open data portal?').count()).toBe(0);

    await martaPage.goto(`/forums/${forum.id}/moderation`);
    const proposal = martaPage.locator('.proposal', { hasText: 'Who maintains the open data portal?' });
    await proposal.waitFor({ timeout: 10_000 });
    await proposal.getByText('Proposed by Ana Ferrer').waitFor();
    await screenshot(martaPage, 'member-question-queue');
    await proposal.getByRole('button', { name: 'Approve and publish' }).click();
    await martaPage.getByText('Published: “Who maintains the open data portal?”.').waitFor();
    await proposal.waitFor({ state: 'detached' });

    // Luis's open forum page shows it without a reload; Ana's badge goes.
    await luisPage.getByText('Who maintains the open data portal?').waitFor({ timeout: 10_000 });
    await anaPage.reload();
    await anaPage.locator('.agenda li', { hasText: 'Who maintains the open data portal?' }).waitFor();
    expect(await anaPage.getByText('Awaiting approval').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
