import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/app.js';
import { closeBrowserScene, describeInBrowser, ensureClientBuilt, launchBrowser, personContext, seriousA11yViolations, watchErrors } from './support/browser.js';
import { addMember, newForum, newQuestion, newSession } from './support/fixtures.js';
import { createAccount, signIn, type TestPerson } from './support/people.js';
import { postReply } from './support/threads.js';

/**
 * What a newcomer meets in the web client, from the first page to the first
 * reply: a quiet console when signed out, the forums that signing in shows,
 * the language they chose kept at sign-in, one reply count per viewer, their
 * own hidden reply, dark mode, landmarks and French typography.
 */
describeInBrowser('a newcomer in the web client', () => {
  let t: TestApp;
  let browser: Browser;
  let author: TestPerson;
  let reader: TestPerson;
  let moderator: TestPerson;
  let session: { id: number; slug: string };
  // A word of its own in the title, so the catalogue can be searched for this session alone, whatever else the suite made.
  const marker = `newcomer${Date.now().toString(36)}`;
  const sessionTitle = `Digitalisation in metropolitan spaces ${marker}`;
  let forum: { id: number };
  let question: { id: number };
  let hiddenId: string;
  const contexts: BrowserContext[] = [];

  const open = async (who: TestPerson | null, opts: { locale?: string; colorScheme?: 'dark' | 'light' } = {}) => {
    const context = await personContext(browser, t, { email: who?.email, password: who?.password, locale: opts.locale });
    contexts.push(context);
    const page = await context.newPage();
    if (opts.colorScheme) await page.emulateMedia({ colorScheme: opts.colorScheme });
    return page;
  };
  const threadPath = () => `/forums/${forum.id}/questions/${question.id}`;

  beforeAll(async () => {
    ensureClientBuilt();
    t = await startTestApp();
    browser = await launchBrowser();
    [author, reader, moderator] = await Promise.all([
      createAccount(t, { displayName: 'Ann Author', language: 'en' }),
      createAccount(t, { displayName: 'Marta Ruiz', language: 'es' }),
      createAccount(t, { displayName: 'Mo Derator' }),
    ]);
    session = await newSession(t, { title: sessionTitle });
    // Like the demo's digitalisation session: its only forum is for signed-in members.
    forum = await newForum(t, { sessionId: session.id, visibility: 'members', title: 'Learning forum on digitalisation' });
    await addMember(t, forum.id, moderator.id, 'moderator');
    question = await newQuestion(t, forum.id, { title: 'Which services went online first?' });
    const authorAgent = await signIn(t, author.email, author.password);
    const readerAgent = await signIn(t, reader.email, reader.password);
    await postReply(readerAgent, question.id, 'Permits and licences went first.');
    await postReply(authorAgent, question.id, 'Civil registry certificates.');
    hiddenId = (await postReply(authorAgent, question.id, 'Call me at home, 12 Rue Exemple.')).id;
    const modAgent = await signIn(t, moderator.email, moderator.password);
    await modAgent.post('/api/moderation/acts').send({ act: 'reply.hide', replyId: hiddenId, reason: 'Personal details' }).expect(200);
  }, 180_000);

  afterAll(() => closeBrowserScene(contexts, browser, t), 30_000);

  it('logs no failed request and no error on signed-out pages', async () => {
    const page = await open(null);
    const failed: string[] = [];
    const consoleErrors: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    const errors = watchErrors(page);
    for (const path of ['/', `/sessions/${session.slug}`, '/signin']) {
      await page.goto(path);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
    }
    expect({ failed, consoleErrors, errors }).toEqual({ failed: [], consoleErrors: [], errors: [] });
  }, 60_000);

  it('tells a signed-out visitor that signing in shows the members’ forum, and the link gets them there', async () => {
    const page = await open(null);
    await page.goto(`/?q=${marker}`);
    const card = page.locator('.session-card', { has: page.getByRole('link', { name: sessionTitle, exact: true }) });
    await card.getByText('1 forum for signed-in members').waitFor();

    await page.goto(`/sessions/${session.slug}`);
    const note = page.getByTestId('members-forums');
    await note.getByText('Signing in shows 1 more forum, open to the signed-in members of the network.').waitFor();
    expect(await page.getByText('No forum you can see is attached').count()).toBe(0);
    await note.getByRole('link', { name: 'Sign in to see them' }).click();
    await page.getByLabel('Email').fill(reader.email);
    await page.getByLabel('Password').fill(reader.password);
    await page.locator('main form').getByRole('button', { name: 'Sign in' }).click();
    // Back on the session, the forum is listed, named for who may read it.
    const forumCard = page.locator('.forum-card', { has: page.getByRole('link', { name: 'Learning forum on digitalisation' }) });
    await forumCard.waitFor();
    expect(await forumCard.innerText()).toContain('Signed-in members of the network');
    expect(await page.getByTestId('members-forums').count()).toBe(0);
  }, 60_000);

  it('keeps the language chosen in this browser when signing in, and offers the account’s', async () => {
    const page = await open(null);
    await page.goto('/signin');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Se connecter à Agora' }).waitFor();
    await page.getByLabel('Adresse e-mail').fill(reader.email);
    await page.locator('input[type=password]').fill(reader.password);
    await page.locator('main form button[type=submit]').click();
    // Marta's account is in Spanish: the page stays French and offers Spanish.
    const offer = page.getByTestId('language-offer');
    await offer.getByText('La langue de votre compte est Español.').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.reload();
    await page.getByTestId('language-offer').waitFor({ state: 'detached' });
    expect(await page.getAttribute('html', 'lang')).toBe('fr');

    // Signing in again without a choice made: the language the page showed stays too, and the offer switches on request.
    const english = await open(null, { locale: 'en-GB' });
    await english.goto('/signin');
    await english.locator('input[type=email]').fill(reader.email);
    await english.locator('input[type=password]').fill(reader.password);
    await english.locator('main form button[type=submit]').click();
    await english.getByTestId('language-offer').getByRole('button', { name: 'Switch to Español' }).click();
    await english.getByRole('heading', { level: 1, name: 'Sesiones' }).waitFor();
    expect(await english.getAttribute('html', 'lang')).toBe('es');
    expect(await english.getByTestId('language-offer').count()).toBe(0);
  }, 60_000);

  it('shows one reply count per viewer on the forum page and in the thread (the hidden reply not counted)', async () => {
    for (const who of [reader, moderator]) {
      const page = await open(who, { locale: 'en-GB' });
      await page.goto(`/forums/${forum.id}`);
      const row = page.locator('li', { has: page.getByRole('link', { name: 'Which services went online first?' }) });
      // Marta's account is in Spanish (and this browser has no choice of its own), so her pages are.
      await shown(page, row.getByText(/^2 (replies|respuestas)$/));
      await page.goto(threadPath());
      await page.locator(`[data-reply-id="${hiddenId}"]`).waitFor();
      expect(await page.getByRole('heading', { level: 2, name: /Replies|Respuestas/ }).innerText()).toMatch(/\(2\)/);
    }
  }, 60_000);

  it('shows a hidden reply’s author their text with the reason, and offers only the actions the server allows', async () => {
    const page = await open(author, { locale: 'en-GB' });
    await page.goto(threadPath());
    const hidden = page.locator(`[data-reply-id="${hiddenId}"]`);
    await shown(page, hidden.getByText('Call me at home, 12 Rue Exemple.'));
    await hidden.getByText('Hidden from readers. Reason: Personal details').waitFor();
    expect(await hidden.getByRole('button', { name: 'Edit' }).count()).toBe(1);
    expect(await hidden.getByRole('button', { name: 'Delete' }).count()).toBe(1);
    expect(await hidden.locator('button.vote').count()).toBe(0);
    expect(await hidden.getByRole('button', { name: /^Reply/ }).count()).toBe(0);
    // Their own visible reply: no vote for oneself; a reply to it is fine.
    const own = page.locator('article[data-reply-id]', { hasText: 'Civil registry certificates.' });
    expect(await own.locator('button.vote').isDisabled()).toBe(true);

    // Another reader sees the placeholder, can't vote on it or answer it.
    const other = await open(reader, { locale: 'en-GB' });
    await other.goto(threadPath());
    const placeholder = other.locator(`[data-reply-id="${hiddenId}"]`);
    await placeholder.getByText(/Personal details/).waitFor();
    expect(await placeholder.innerText()).not.toContain('Rue Exemple');
    expect(await placeholder.locator('button.vote').count()).toBe(0);
    expect(await placeholder.getByRole('button', { name: /^Reply/ }).count()).toBe(0);
    expect(await placeholder.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    // A visible reply by someone else takes a vote from them.
    expect(await other.locator('article[data-reply-id]', { hasText: 'Civil registry certificates.' }).locator('button.vote').isDisabled()).toBe(false);
  }, 60_000);

  it('writes each act of the moderation record as a sentence, in the reader’s language', async () => {
    const page = await open(moderator, { locale: 'en-GB' });
    await page.goto(`/forums/${forum.id}/record`);
    const row = page.locator('tr[data-act="reply.hide"]');
    await shown(page, row);
    await row.getByText('It went from visible to hidden.').waitFor();
    await row.getByText('Reason shown in its place: “Personal details”.').waitFor();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await row.getByText('Elle était visible, elle est désormais masquée.').waitFor();
    await row.getByText('Motif affiché à sa place\u00a0: «\u00a0Personal details\u00a0».').waitFor();
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('es');
    await row.getByText('Estaba visible; ahora está oculta.').waitFor();
    expect(await row.innerText()).not.toMatch(/stateReason|state:|→/);
  }, 60_000);

  it('says so in the reader’s language when the live Q&A’s code fails to load, and loads it once back online', async () => {
    const page = await open(null, { locale: 'en-GB' });
    const errors = watchErrors(page);
    // Offline at the wrong moment: the first page came, the Q&A's chunk doesn't.
    await page.route(/\/assets\/LiveQaPage-[^/]+\.js$/, (route) => route.abort('internetdisconnected'));
    await page.goto(`/sessions/${session.slug}/qa`);
    const failed = page.getByTestId('lazy-failed');
    await shown(page, failed);
    expect(await failed.innerText()).toContain('This page could not be loaded');
    expect(await failed.innerText()).not.toContain('dynamically imported module');
    await page.context().setOffline(true);
    await page.unroute(/\/assets\/LiveQaPage-[^/]+\.js$/);
    await page.context().setOffline(false);
    // Back online: the page loads by itself (or reloads), without a click.
    await failed.waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('main h1').first().waitFor();
    expect(await page.getByTestId('lazy-failed').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('follows the system’s dark mode, with accessible contrast, and names its two navigation landmarks apart', async () => {
    const page = await open(reader, { colorScheme: 'dark', locale: 'en-GB' });
    const found: Record<string, unknown> = {};
    for (const path of [`/sessions/${session.slug}`, `/forums/${forum.id}`, threadPath()]) {
      await page.goto(path);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const background = (await page.evaluate(`getComputedStyle(document.body).backgroundColor`)) as string;
      expect(luminance(background)).toBeLessThan(0.1);
      const names = await page.locator('nav').evaluateAll((navs) => navs.map((n) => n.getAttribute('aria-label') ?? n.getAttribute('aria-labelledby')));
      expect(new Set(names).size).toBe(names.length);
      const violations = [...(await seriousA11yViolations(page)), ...(await landmarkViolations(page))];
      if (violations.length) found[path] = violations;
    }
    expect(found).toEqual({});
  }, 90_000);

  it('writes French with a non-breaking space before “:”, “?”, “;” and “!”', async () => {
    const page = await open(null, { locale: 'fr-FR' });
    await page.goto('/signin');
    await page.getByRole('heading', { level: 1, name: 'Se connecter à Agora' }).waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('Nouveau ici\u202f?');
    expect(text).not.toMatch(/ [:;?!]/);
    // The presence line of a forum: "1 personne présente : …" with a non-breaking space.
    const aurelie = await createAccount(t, { displayName: 'Aurélie Dupont', language: 'fr' });
    const member = await open(aurelie, { locale: 'fr-FR' });
    await member.goto(`/forums/${forum.id}`);
    const presence = member.locator('.presence', { hasText: 'Aurélie Dupont' });
    await shown(member, presence);
    expect(await presence.innerText()).toMatch(/personnes? présentes?\u00a0: .*Aurélie Dupont/);
  }, 60_000);
});

/** Relative luminance of a CSS rgb() colour (0 black … 1 white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['255', '255', '255']).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** axe's landmark-unique finding (moderate, so not among the serious ones): each landmark of a kind needs its own name. */
async function landmarkViolations(page: Page): Promise<{ id: string }[]> {
  return (await page.evaluate(`axe.run(document, { runOnly: ['landmark-unique'] }).then((r) => r.violations.map((v) => ({ id: v.id })))`)) as { id: string }[];
}

/** Waits for a locator; on a timeout, fails with what the page's main shows. */
async function shown(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ timeout: 10_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}\n--- main:\n${await page.locator('main').innerText().catch(() => '(no main)')}`);
  });
}
