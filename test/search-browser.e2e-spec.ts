import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/app.js';
import { describeInBrowser, ensureClientBuilt, launchBrowser, personContext, screenshot, seriousA11yViolations, watchErrors, closeBrowserScene } from './support/browser.js';
import { addMember, newForum, newQuestion, newSession } from './support/fixtures.js';
import { createAccount, signIn, type TestPerson } from './support/people.js';
import { postReply } from './support/threads.js';

/**
 * Issue 15 in the web client: `/` focuses the header's search, a Spanish
 * query without accents finds the accented reply with its words marked and
 * its speaker's city, the speaker's name opens their profile, and a reply in
 * a thread links to it; the catalogue's words filter as they are typed.
 */
describeInBrowser('search and profiles in the web client', () => {
  let t: TestApp;
  let browser: Browser;
  let ana: TestPerson;
  let reader: TestPerson;
  let forum: { id: number };
  let question: { id: number };
  let reply: { id: string };
  const contexts: BrowserContext[] = [];

  const pageFor = async (who?: TestPerson, locale = 'en-GB'): Promise<Page> => {
    const context = await personContext(browser, t, who ? { email: who.email, password: who.password, locale } : { locale });
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    ensureClientBuilt();
    t = await startTestApp();
    browser = await launchBrowser();
    [ana, reader] = await Promise.all([
      createAccount(t, { displayName: 'Ana Bogotá', organisation: 'Alcaldía de Bogotá', language: 'es' }),
      createAccount(t, { displayName: 'Reader Rui' }),
    ]);
    const session = await newSession(t, { title: 'Movilidad urbana sostenible en Bogotá' });
    forum = await newForum(t, { sessionId: session.id, title: 'Foro de movilidad' });
    await addMember(t, forum.id, ana.id, 'member');
    question = await newQuestion(t, forum.id, { title: '¿Qué aprendieron sus ciudades?' });
    const agent = await signIn(t, ana.email, ana.password);
    await agent.patch('/api/auth/me').send({ bio: 'Planificadora de transporte.', languages: ['es', 'en'] }).expect(200);
    reply = await postReply(agent, question.id, 'Las ciclovías de Bogotá crecieron mucho durante la pandemia.');
  }, 180_000);

  afterAll(() => closeBrowserScene(contexts, browser, t), 30_000);

  it('finds a reply from the header with "/", marks the words, and opens the speaker\'s profile', async () => {
    const page = await pageFor(reader);
    const errors = watchErrors(page);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await page.keyboard.press('/');
    const box = page.getByRole('searchbox', { name: 'Search debates' });
    // A string, so this file needs no DOM types; it runs in the page.
    expect(await page.evaluate(`document.activeElement && document.activeElement.getAttribute('aria-keyshortcuts')`)).toBe('/');
    await box.fill('ciclovia bogota');
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=ciclovia/);
    const hit = page.locator(`.search-hit[data-kind="reply"]`).first();
    await hit.waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(expect.arrayContaining(['ciclovías', 'Bogotá']));
    expect(await hit.locator('.speaker').textContent()).toContain('Alcaldía de Bogotá');
    expect(await hit.locator('.hit-title').getAttribute('href')).toBe(`/forums/${forum.id}/questions/${question.id}#reply-${reply.id}`);
    await screenshot(page, 'search-results');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await hit.locator('.speaker').click();
    await page.getByRole('heading', { level: 1, name: 'Ana Bogotá' }).waitFor();
    expect(await page.getByTestId('person-organisation').textContent()).toBe('Alcaldía de Bogotá');
    expect(await page.locator('.person-page .bio').textContent()).toBe('Planificadora de transporte.');
    expect(await page.locator('.person-page .avatar-initials').textContent()).toBe('AB');
    expect(await page.locator('.person-replies li').count()).toBe(1);
    await screenshot(page, 'person-profile');
    expect(errors).toEqual([]);
  });

  it('links a reply in its thread to its author\'s profile, with their city', async () => {
    const page = await pageFor();
    await page.goto(`/forums/${forum.id}/questions/${question.id}`);
    const head = page.locator(`#reply-${reply.id} .reply-head`);
    await head.waitFor();
    expect(await head.locator('.org').textContent()).toBe('Alcaldía de Bogotá');
    await head.getByRole('link', { name: 'Ana Bogotá' }).click();
    await page.waitForURL(new RegExp(`/people/${ana.id}$`));
    await page.getByRole('heading', { level: 1, name: 'Ana Bogotá' }).waitFor();
  });

  it('filters the catalogue by words as they are typed, in Spanish, without an Apply click', async () => {
    const page = await pageFor(undefined, 'es-ES');
    await page.goto('/');
    await page.getByRole('searchbox', { name: 'Palabras del título o del resumen' }).fill('movilidad sostenible bogota');
    await page.waitForURL(/[?&]q=movilidad/);
    await page.getByRole('link', { name: 'Movilidad urbana sostenible en Bogotá' }).waitFor();
  });
});
