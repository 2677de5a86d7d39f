import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { measure } from '../client/size-budget.js';
import { startTestApp, type TestApp } from './support/app.js';
import {
  DESKTOP,
  cuttableConnection,
  PHONE,
  describeInBrowser,
  ensureClientBuilt,
  launchBrowser,
  personContext,
  screenshot,
  seriousA11yViolations,
  watchErrors,
  type Viewport,
  closeBrowserScene,
} from './support/browser.js';
import { addMember, newForum, newQuestion, newSession } from './support/fixtures.js';
import { createAccount, signIn, type TestPerson } from './support/people.js';
import { eventually } from './support/sockets.js';
import { postReply } from './support/threads.js';

/**
 * The web client in headless Chromium against the real app (which serves
 * client/dist): live replies between two people, the disconnect banner and
 * catch-up, private forums, languages, accessibility, screenshots.
 */
describeInBrowser('web client in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let ana: TestPerson;
  let luis: TestPerson;
  let outsider: TestPerson;
  let moderator: TestPerson;
  let session: { id: number; slug: string };
  let forum: { id: number };
  let question: { id: number };
  let privateForum: { id: number };
  const contexts: BrowserContext[] = [];

  const open = async (who: TestPerson | null, opts: { viewport?: Viewport; locale?: string } = {}) => {
    const context = await personContext(browser, t, { email: who?.email, password: who?.password, ...opts });
    contexts.push(context);
    return context;
  };
  const threadPath = () => `/forums/${forum.id}/questions/${question.id}`;
  /** Opens the thread and waits until the page follows it live. */
  const openThread = async (page: Page) => {
    await page.goto(threadPath());
    await page.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
  };

  beforeAll(async () => {
    ensureClientBuilt();
    t = await startTestApp();
    browser = await launchBrowser();
    [ana, luis, outsider, moderator] = await Promise.all([
      createAccount(t, { displayName: 'Ana Ferrer' }),
      createAccount(t, { displayName: 'Luis Moreno' }),
      createAccount(t, { displayName: 'Olga Outsider' }),
      createAccount(t, { displayName: 'Marta Moderadora' }),
    ]);
    session = await newSession(t, { title: 'Challenges and opportunities of digitalisation in metropolitan spaces' });
    forum = await newForum(t, { sessionId: session.id, title: 'Learning forum on digitalisation' });
    question = await newQuestion(t, forum.id, { title: 'How is your administration adapting to the digital reality?' });
    await newQuestion(t, forum.id, { title: 'What digital divides do you see in your metropolitan area?' });
    privateForum = await newForum(t, { sessionId: session.id, visibility: 'invite_only', title: 'Organisers back room' });
    await addMember(t, privateForum.id, moderator.id, 'moderator');
    await addMember(t, privateForum.id, ana.id, 'member');
  }, 180_000);

  afterAll(() => closeBrowserScene(contexts, browser, t), 30_000);

  it('keeps the first page under its JS budget', () => {
    const report = measure(join(process.cwd(), 'client', 'dist'));
    expect(report.firstPageJs.length).toBeGreaterThan(0);
    expect(report.firstPageJsGzip).toBeLessThan(80 * 1024);
  });

  it('shows a reply posted by one member to another, live, nested under its parent', async () => {
    const first = await postReply(await signIn(t, ana.email, ana.password), question.id, 'In Barcelona we moved **permits** online first.');
    const anaPage = await (await open(ana)).newPage();
    const luisPage = await (await open(luis)).newPage();
    const errors = [...watchErrors(anaPage), ...watchErrors(luisPage)];
    await Promise.all([openThread(anaPage), openThread(luisPage)]);

    // Luis answers Ana's reply through the interface.
    await luisPage.locator(`#reply-${first.id}`).getByRole('button', { name: 'Reply to Ana Ferrer' }).click();
    const box = luisPage.getByRole('textbox', { name: 'Reply to Ana Ferrer' });
    await box.fill('Same in Córdoba, with a help desk for older people.');
    // Ana sees that someone is typing in the thread.
    await anaPage.locator('.typing', { hasText: 'Luis Moreno is typing' }).waitFor({ timeout: 10_000 });
    await luisPage.locator(`#reply-${first.id}`).getByRole('button', { name: 'Post reply' }).click();

    // It arrives in Ana's page without a reload, under Ana's reply, marked new and announced.
    const arrived = anaPage.locator(`#reply-${first.id} > ul.replies > li.reply`, { hasText: 'help desk for older people' });
    await arrived.waitFor({ timeout: 10_000 });
    expect(await arrived.getAttribute('class')).toContain('is-new');
    await anaPage.locator('#announcer', { hasText: 'New reply from Luis Moreno' }).waitFor({ state: 'attached', timeout: 5_000 });
    const newId = (await arrived.getAttribute('id'))!.replace('reply-', '');
    const stored = await t.dataSource.query(`SELECT parent_id FROM reply WHERE id = $1`, [newId]);
    expect(String(stored[0].parent_id)).toBe(first.id);
    // Once, and in Luis's own page too (not marked new there).
    expect(await anaPage.locator(`[data-reply-id="${newId}"]`).count()).toBe(1);
    const own = luisPage.locator(`#reply-${newId}`);
    await own.waitFor();
    expect(await own.getAttribute('class')).not.toContain('is-new');
    expect(errors).toEqual([]);
  }, 60_000);

  it('brings a reader who has scrolled away to the replies that arrived meanwhile', async () => {
    const q = await newQuestion(t, forum.id, { title: 'Where do you publish open data?' });
    const luisAgent = await signIn(t, luis.email, luis.password);
    for (let i = 1; i <= 25; i++) await postReply(luisAgent, q.id, `On portal number ${i}.`);
    const page = await (await open(ana)).newPage();
    await page.goto(`/forums/${forum.id}/questions/${q.id}`);
    await page.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
    await page.evaluate('window.scrollTo(0, 0)');

    const late = await postReply(luisAgent, q.id, 'A late answer, far below.');
    const pill = page.getByRole('button', { name: '1 new reply' });
    await pill.waitFor({ timeout: 10_000 });
    await pill.click();
    await page.waitForFunction(`document.activeElement?.getAttribute('data-reply-id') === '${late.id}'`, undefined, { timeout: 5_000 });
    await pill.waitFor({ state: 'detached', timeout: 5_000 });
  }, 60_000);

  it('shows a banner while disconnected and catches up on reconnection, each reply once', async () => {
    const parent = await postReply(await signIn(t, luis.email, luis.password), question.id, 'Open data portals changed how we work.');
    const context = await open(ana);
    const page = await context.newPage();
    const errors = watchErrors(page);
    // Every socket of this page goes through the test, so it can cut it.
    const connection = await cuttableConnection(page);
    await openThread(page);
    // A marker that a reload would wipe: the catch-up must happen in this same page.
    await page.evaluate('window.stillThisPage = true');
    expect(await connection.upgraded()).toBe(true);

    // Cut the connection: no HTTP, the open socket closed, new sockets refused.
    await connection.cut();
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toContain('Connection lost');

    // Meanwhile Luis replies twice (one nested).
    const luisAgent = await signIn(t, luis.email, luis.password);
    const missedTop = await postReply(luisAgent, question.id, 'Written while Ana was offline.');
    const missedChild = await postReply(luisAgent, question.id, 'And a nested one while offline.', parent.id);
    expect(await page.locator(`[data-reply-id="${missedTop.id}"]`).count()).toBe(0);

    // Back online: the missed replies are replayed into the same page, once each.
    await connection.restore();
    await page.locator(`#reply-${parent.id} > ul.replies > li#reply-${missedChild.id}`).waitFor({ timeout: 20_000 });
    await page.locator(`[data-reply-id="${missedTop.id}"]`).waitFor({ timeout: 5_000 });
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.locator(`[data-reply-id="${missedTop.id}"]`).count()).toBe(1);
    expect(await page.locator(`[data-reply-id="${missedChild.id}"]`).count()).toBe(1);
    expect(await page.evaluate('window.stillThisPage')).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);

  it('edits, deletes, votes, previews and collapses through the interface', async () => {
    const q = await newQuestion(t, forum.id, { title: 'Which data governance rules have worked for you?' });
    const anaAgent = await signIn(t, ana.email, ana.password);
    const luisAgent = await signIn(t, luis.email, luis.password);
    const mine = await postReply(anaAgent, q.id, 'We publish every dataset.');
    const answer = await postReply(luisAgent, q.id, 'We ask citizens first.', mine.id);
    const theirs = await postReply(luisAgent, q.id, 'Procurement rules matter most.');
    const page = await (await open(ana)).newPage();
    const errors = watchErrors(page);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`/forums/${forum.id}/questions/${q.id}`);
    const own = page.locator(`#reply-${mine.id} > article`);
    await own.waitFor();

    // Edit: the form starts from the markdown source; afterwards the reply says "edited".
    await own.getByRole('button', { name: 'Edit' }).click();
    const editor = own.getByRole('textbox', { name: 'Edit' });
    expect(await editor.inputValue()).toBe('We publish every dataset.');
    await editor.fill('We publish **every** dataset, with a licence.');
    await own.getByRole('button', { name: 'Save' }).click();
    await own.locator('strong', { hasText: 'every' }).waitFor();
    await own.getByText('edited').waitFor();

    // Preview renders markdown before posting.
    await page.locator(`#reply-${theirs.id} > article`).getByRole('button', { name: 'Reply to Luis Moreno' }).click();
    const box = page.getByRole('textbox', { name: 'Reply to Luis Moreno' });
    await box.fill('I *agree* with **this**');
    await page.locator(`#reply-${theirs.id}`).getByRole('button', { name: 'Preview' }).click();
    await page.locator(`#reply-${theirs.id} .preview strong`, { hasText: 'this' }).waitFor();
    await page.locator(`#reply-${theirs.id}`).getByRole('button', { name: 'Cancel' }).click();

    // Vote on someone else's reply.
    const vote = page.locator(`#reply-${theirs.id} > article`).getByRole('button', { name: /Upvote/ });
    const [voted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/replies/${theirs.id}/vote`) && r.request().method() === 'PUT'),
      vote.click(),
    ]);
    expect(voted.status()).toBe(200);
    await page.locator(`#reply-${theirs.id} > article .vote[aria-pressed="true"]`).waitFor();
    expect((await vote.textContent())?.replace(/\s+/g, ' ')).toContain('1');
    const votes = await t.dataSource.query(`SELECT count(*)::int AS n FROM reply_vote WHERE reply_id = $1 AND account_id = $2`, [theirs.id, ana.id]);
    expect(votes[0].n).toBe(1);

    // Collapse and expand a reply's answers.
    const toggle = own.getByRole('button', { name: 'Collapse replies' });
    await toggle.click();
    expect(await page.locator(`#reply-${answer.id}`).isVisible()).toBe(false);
    const expand = own.getByRole('button', { name: 'Show 1 reply' });
    expect(await expand.getAttribute('aria-expanded')).toBe('false');
    await expand.click();
    await page.locator(`#reply-${answer.id}`).waitFor();

    // Delete: the reply keeps its place as "deleted", its answer stays under it.
    await own.getByRole('button', { name: 'Delete' }).click();
    await own.getByText('This reply was deleted.').waitFor();
    expect(await page.locator(`#reply-${mine.id} > ul.replies > li#reply-${answer.id}`).count()).toBe(1);
    const stored = await t.dataSource.query(`SELECT state FROM reply WHERE id = $1`, [mine.id]);
    expect(stored[0].state).toBe('deleted');
    expect(errors).toEqual([]);
  }, 60_000);

  it('follows a thread before reading it, so a reply committed right after the read still arrives live', async () => {
    const q = await newQuestion(t, forum.id, { title: 'Which forms did you retire first?' });
    const luisAgent = await signIn(t, luis.email, luis.password);
    for (let i = 1; i <= 55; i++) await postReply(luisAgent, q.id, `Form number ${i}.`);
    const page = await (await open(ana)).newPage();
    let late: { id: string } | null = null;
    await page.route(`**/api/questions/${q.id}/replies?**`, async (route) => {
      const url = route.request().url();
      if (route.request().method() !== 'GET' || url.includes('cursor=') || late) return route.continue();
      // The first page is read; a reply (beyond that page) is committed before the page gets the answer.
      const response = await route.fetch();
      late = await postReply(luisAgent, q.id, 'A form retired just now.');
      await route.fulfill({ response });
    });
    await page.goto(`/forums/${forum.id}/questions/${q.id}`);
    await page.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
    const pill = page.getByRole('button', { name: '1 new reply' });
    await pill.waitFor({ timeout: 10_000 });
    expect(late).not.toBeNull();
    await pill.click();
    await page.locator(`[data-reply-id="${late!.id}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('li.reply', { hasText: 'A form retired just now.' }).count()).toBe(1);
  }, 90_000);

  it('starts reading a thread opened by its address beside the account check, not after it', async () => {
    const page = await (await open(ana)).newPage();
    let answerAccount!: () => void;
    const accountHeld = new Promise<void>((resolve) => (answerAccount = resolve));
    await page.route('**/api/auth/current', async (route) => {
      await accountHeld;
      await route.continue();
    });
    const repliesAsked = page.waitForRequest((r) => r.url().includes(`/api/questions/${question.id}/replies?`), { timeout: 10_000 });
    const loaded = page.goto(threadPath());
    // Asked while the account check is still unanswered (before, the page asked only after it).
    await repliesAsked;
    answerAccount();
    await loaded;
    await page.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
    await page.locator('.site-header a.name', { hasText: 'Ana Ferrer' }).waitFor();
  }, 60_000);

  it('retries a reply whose answer was lost with the same clientId, storing it once', async () => {
    const q = await newQuestion(t, forum.id, { title: 'Who answers citizens\' digital questions?' });
    const page = await (await open(ana)).newPage();
    const sent: { clientId?: string; body: string }[] = [];
    let failNext = true;
    await page.route(`**/api/questions/${q.id}/replies`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      sent.push(route.request().postDataJSON());
      if (!failNext) return route.continue();
      // The server stores the reply, but its answer never reaches the page.
      failNext = false;
      await route.fetch();
      await route.fulfill({ status: 502, contentType: 'application/json', body: JSON.stringify({ statusCode: 502, code: 'bad_gateway', message: 'The connection was lost.' }) });
    });
    await page.goto(`/forums/${forum.id}/questions/${q.id}`);
    await page.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
    const box = page.getByRole('textbox', { name: 'Your reply' });
    await box.fill('Our libraries run a digital help desk.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.locator('.composer .form-error').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.locator('li.reply', { hasText: 'digital help desk' }).first().waitFor({ timeout: 10_000 });
    // The draft is cleared after the success.
    for (let i = 0; i < 50 && (await box.inputValue()) !== ''; i++) await page.waitForTimeout(100);
    await expect(box.inputValue()).resolves.toBe('');
    expect(await page.locator('.composer .form-error').count()).toBe(0);

    expect(sent).toHaveLength(2);
    expect(sent[0]!.clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sent[1]!.clientId).toBe(sent[0]!.clientId);
    const rows = await t.dataSource.query(`SELECT id FROM reply WHERE question_id = $1`, [q.id]);
    expect(rows).toHaveLength(1);
    await page.locator(`#reply-${rows[0].id}`).waitFor({ timeout: 5_000 });
    expect(await page.locator('li.reply', { hasText: 'digital help desk' }).count()).toBe(1);

    // The next draft gets a new clientId.
    await box.fill('And the town halls too.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.locator('li.reply', { hasText: 'town halls too' }).waitFor({ timeout: 10_000 });
    expect(sent).toHaveLength(3);
    expect(sent[2]!.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[2]!.clientId).not.toBe(sent[0]!.clientId);
    await expect(t.dataSource.query(`SELECT count(*)::int AS n FROM reply WHERE question_id = $1`, [q.id])).resolves.toEqual([{ n: 2 }]);
  }, 60_000);

  it('reads a long thread a page at a time, and opens a permalink beyond the first page', async () => {
    const q = await newQuestion(t, forum.id, { title: 'A long thread' });
    const agents = [await signIn(t, ana.email, ana.password), await signIn(t, luis.email, luis.password)];
    const ids: string[] = [];
    for (let i = 1; i <= 56; i++) ids.push((await postReply(agents[i % 2], q.id, `Reply number ${i}`)).id);
    const page = await (await open(luis)).newPage();
    await page.goto(`/forums/${forum.id}/questions/${q.id}`);
    await page.locator(`[data-reply-id="${ids[49]}"]`).waitFor();
    expect(await page.locator('[data-reply-id]').count()).toBe(50);
    await page.getByRole('button', { name: 'Load more replies' }).click();
    await page.locator(`[data-reply-id="${ids[55]}"]`).waitFor();
    expect(await page.locator('[data-reply-id]').count()).toBe(56);
    // The last page has no further cursor, so the button goes (it may take one more render).
    await page.getByRole('button', { name: 'Load more replies' }).waitFor({ state: 'detached', timeout: 5_000 });

    // A permalink to the last reply loads what it needs and brings it into view, focused.
    const fresh = await (await open(null)).newPage();
    await fresh.goto(`/forums/${forum.id}/questions/${q.id}#reply-${ids[55]}`);
    const target = fresh.locator(`[data-reply-id="${ids[55]}"]`);
    await target.waitFor();
    // Polled from the test (page.evaluate is not subject to the page's CSP, which forbids eval).
    const focused = () => fresh.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('data-reply-id'));
    await eventually(async () => expect(await focused()).toBe(ids[55]), 5_000);
    expect(await target.isVisible()).toBe(true);
  }, 90_000);

  it("doesn't show an invite-only forum to an outsider, even by its URL, until they accept an invitation", async () => {
    const page = await (await open(outsider)).newPage();
    await page.goto(`/forums/${privateForum.id}`);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    expect(await page.getByText('Organisers back room').count()).toBe(0);

    await page.goto(`/sessions/${session.slug}`);
    await page.getByRole('link', { name: 'Learning forum on digitalisation' }).waitFor();
    expect(await page.getByText('Organisers back room').count()).toBe(0);

    // Nor to an anonymous visitor.
    const anonymous = await (await open(null)).newPage();
    await anonymous.goto(`/forums/${privateForum.id}/questions/${question.id}`);
    await anonymous.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();

    // A member sees it.
    const member = await (await open(ana)).newPage();
    await member.goto(`/forums/${privateForum.id}`);
    await member.getByRole('heading', { level: 1, name: 'Organisers back room' }).waitFor();

    // An invitation link lets the outsider in.
    const modAgent = await signIn(t, moderator.email, moderator.password);
    const invitation = await modAgent.post(`/api/forums/${privateForum.id}/invitations`).send({ maxUses: 1 });
    expect(invitation.status).toBe(201);
    await page.goto(invitation.body.url as string);
    await page.getByRole('heading', { level: 1, name: 'Organisers back room' }).waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe(`/forums/${privateForum.id}`);
  }, 60_000);

  it('signs up, signs out and signs in again through the forms, coming back to the thread', async () => {
    const page = await (await open(null)).newPage();
    const errors = watchErrors(page);
    await page.goto(threadPath());
    await page.getByText('Sign in or create an account to reply and vote.').waitFor();
    await page.locator('.signin-prompt').getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create your Agora account' }).waitFor();
    const email = `newcomer-${Date.now()}@example.org`;
    await page.getByLabel('Your name').fill('Nora Newcomer');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    // The server names the field that is wrong.
    await page.locator('#f-password-error').waitFor();
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('textbox', { name: 'Your reply' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(threadPath());
    await page.locator('.site-header').getByText('Nora Newcomer').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('.site-header').getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or password is incorrect' }).waitFor();
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.site-header').getByText('Nora Newcomer').waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('filters the sessions and opens one with its forums', async () => {
    await t.dataSource.query(`UPDATE session SET topics = '{digitalisation}', cities = '{Barcelona,Toronto}' WHERE id = $1`, [session.id]);
    const otherTitle = `Sustainable urban mobility ${Date.now()}`;
    const other = await newSession(t, { title: otherTitle });
    await t.dataSource.query(`UPDATE session SET topics = '{mobility}' WHERE id = $1`, [other.id]);
    const page = await (await open(null)).newPage();
    await page.goto('/');
    // Filters apply as they change (issue 15): no click on "Apply filters" (kept, visually hidden, as the form's submit).
    await page.getByRole('combobox', { name: 'Topic' }).selectOption('digitalisation');
    await page.waitForURL(/\?topic=digitalisation$/);
    await page.getByRole('link', { name: otherTitle }).waitFor({ state: 'detached' });
    // (Other test files may add sessions to the same database: only ours is known to match.)
    const titles = await page.locator('.session-card h2').allTextContents();
    expect(titles).toContain('Challenges and opportunities of digitalisation in metropolitan spaces');
    expect(titles).not.toContain(otherTitle);

    // Ours, by its address: the demo catalogue (loaded by the demo-data spec in the same database) has a session of this title too.
    await page.locator(`.session-card a[href="/sessions/${session.slug}"]`).click();
    await page.getByRole('heading', { level: 1, name: 'Challenges and opportunities of digitalisation in metropolitan spaces' }).waitFor();
    await page.getByRole('link', { name: 'Toronto' }).waitFor();
    await page.getByRole('link', { name: 'Learning forum on digitalisation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Learning forum on digitalisation' }).waitFor();
    await page.getByRole('link', { name: 'How is your administration adapting to the digital reality?' }).waitFor();
  }, 60_000);

  it('switches the interface language, and starts in the browser’s or the account’s language', async () => {
    const page = await (await open(null)).newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    expect(await page.getByRole('button', { name: 'Apply filters' }).count()).toBe(1);

    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Sesiones' }).waitFor();
    expect(await page.getByRole('button', { name: 'Aplicar filtros' }).count()).toBe(1);
    expect(await page.getAttribute('html', 'lang')).toBe('es');

    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('fr');
    await page.getByRole('button', { name: 'Appliquer les filtres' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    // The choice survives a reload.
    await page.reload();
    await page.getByRole('button', { name: 'Appliquer les filtres' }).waitFor();

    // A French browser gets French first.
    const french = await (await open(null, { locale: 'fr-FR' })).newPage();
    await french.goto('/');
    await french.getByRole('button', { name: 'Appliquer les filtres' }).waitFor();

    // An account whose language is Spanish gets Spanish, whatever the browser says.
    const hispanic = await createAccount(t, { displayName: 'Lucía', language: 'es' });
    const spanish = await (await open(hispanic, { locale: 'en-GB' })).newPage();
    await spanish.goto(threadPath());
    await spanish.getByRole('heading', { level: 2, name: /Respuestas/ }).waitFor();
  }, 60_000);

  it('has no serious or critical accessibility violations on the main pages', async () => {
    const context = await open(ana);
    const page = await context.newPage();
    const anonymous = await (await open(null)).newPage();
    const pages: [string, Page, string][] = [
      ['anonymous', anonymous, '/'],
      ['anonymous', anonymous, `/sessions/${session.slug}`],
      ['anonymous', anonymous, `/forums/${forum.id}`],
      ['anonymous', anonymous, threadPath()],
      ['anonymous', anonymous, '/signin'],
      ['anonymous', anonymous, '/signup'],
      ['member', page, `/forums/${forum.id}`],
      ['member', page, threadPath()],
    ];
    const found: Record<string, unknown> = {};
    for (const [who, p, path] of pages) {
      await p.goto(path);
      await p.locator('main h1').first().waitFor({ timeout: 15_000 }).catch(async (e: Error) => {
        throw new Error(`${who} ${path}: ${e.message}\n${await p.locator('main').innerText().catch(() => '(no main)')}`);
      });
      await p.waitForLoadState('networkidle');
      const violations = await seriousA11yViolations(p);
      if (violations.length) found[`${who} ${path}`] = violations;
    }
    expect(found).toEqual({});
  }, 90_000);

  it('renders the main pages at desktop and phone widths (screenshots in test-artifacts/)', async () => {
    const shots: [string, string, TestPerson | null][] = [
      ['sessions', '/', null],
      ['session', `/sessions/${session.slug}`, null],
      ['forum', `/forums/${forum.id}`, ana],
      ['thread', threadPath(), ana],
      ['sign-in', '/signin', null],
    ];
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const pages = new Map<string, Page>();
      for (const [name, path, who] of shots) {
        const key = who?.email ?? 'anonymous';
        if (!pages.has(key)) pages.set(key, await (await open(who, { viewport })).newPage());
        const page = pages.get(key)!;
        await page.goto(path);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        // Nothing sticks out sideways on a phone.
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
        expect({ page: name, size, overflow: Math.max(0, overflow) }).toEqual({ page: name, size, overflow: 0 });
        const file = await screenshot(page, `${name}-${size}`);
        expect(existsSync(file) && statSync(file).size > 5_000).toBe(true);
      }
    }
  }, 90_000);
});
