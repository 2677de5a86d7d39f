import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/app.js';
import { DESKTOP, PHONE, cuttableConnection, describeInBrowser, ensureClientBuilt, launchBrowser, personContext, screenshot, seriousA11yViolations, watchErrors, type Viewport, closeBrowserScene } from './support/browser.js';
import { newSession } from './support/fixtures.js';
import { createAccount, signIn, type TestPerson } from './support/people.js';

/**
 * The live Q&A in the web client (headless Chromium against the real app):
 * an attendee asks anonymously from a phone, the moderator sees the asker in
 * the queue and approves with a key, a second attendee sees it and upvotes
 * (the count changes on every screen), the moderator highlights it (the
 * presenter view and the attendees show it) and marks it answered; guests
 * join with a name and are told when they may ask again; the page catches up
 * after a dropped connection; the views speak Spanish and French.
 */
describeInBrowser('live Q&A in the web client', () => {
  let t: TestApp;
  let browser: Browser;
  let ana: TestPerson;
  let luis: TestPerson;
  let marta: TestPerson;
  let session: { id: number; slug: string };
  const contexts: BrowserContext[] = [];

  const open = async (who: TestPerson | null, opts: { viewport?: Viewport; locale?: string } = {}): Promise<Page> => {
    const context = await personContext(browser, t, { email: who?.email, password: who?.password, ...opts });
    contexts.push(context);
    return context.newPage();
  };
  /** Opens a Q&A view and waits until it follows the session's Q&A live. */
  const openLive = async (page: Page, path: string) => {
    await page.goto(path);
    await page.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
  };
  const qaPath = (view = '', s = session) => `/sessions/${s.slug}/qa${view}`;
  const configure = async (s: { slug: string }, settings: Record<string, unknown>) => {
    const res = await (await signIn(t, marta.email, marta.password)).patch(`/api/sessions/${s.slug}/qa`).send(settings);
    if (res.status !== 200) throw new Error(`PATCH qa got ${res.status}: ${JSON.stringify(res.body)}`);
  };
  const newModeratedSession = async (title: string) => {
    const s = await newSession(t, { title });
    await t.dataSource.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2)`, [s.id, marta.id]);
    return s;
  };
  /** The question's item in a list, by its text. */
  const item = (page: Page, text: string) => page.locator('li.qa-question', { hasText: text });

  beforeAll(async () => {
    ensureClientBuilt();
    t = await startTestApp();
    browser = await launchBrowser();
    [ana, luis, marta] = await Promise.all([
      createAccount(t, { displayName: 'Ana Ferrer' }),
      createAccount(t, { displayName: 'Luis Moreno' }),
      createAccount(t, { displayName: 'Marta Moderadora' }),
    ]);
    session = await newModeratedSession('Data-driven services in metropolitan spaces');
  }, 180_000);

  afterAll(() => closeBrowserScene(contexts, browser, t), 30_000);

  it('runs a question from an anonymous ask through approval, votes, highlight and answer, live on every screen', async () => {
    const question = 'How do small towns share the cost of digital public services?';
    const moderator = await open(marta);
    const anaPage = await open(ana, { viewport: PHONE });
    const luisPage = await open(luis, { viewport: PHONE });
    const presenter = await open(null);
    const errors = [...watchErrors(moderator), ...watchErrors(anaPage), ...watchErrors(luisPage), ...watchErrors(presenter)];

    // The session page leads moderators to their desk.
    await moderator.goto(`/sessions/${session.slug}`);
    await moderator.getByRole('link', { name: 'Moderate the Q&A' }).click();
    await moderator.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
    // The moderator opens the Q&A with pre-moderation.
    await moderator.getByRole('button', { name: 'Open Q&A' }).click();
    await moderator.getByRole('button', { name: 'Close Q&A' }).waitFor();
    await moderator.getByLabel('Review questions before they appear').check();
    await moderator.getByRole('button', { name: 'Save settings' }).click();
    await moderator.locator('.qa-status', { hasText: 'Saved.' }).waitFor();
    await expect(t.dataSource.query(`SELECT state, premoderation FROM live_qa WHERE session_id = $1`, [session.id])).resolves.toEqual([{ state: 'open', premoderation: true }]);

    await Promise.all([openLive(anaPage, qaPath()), openLive(luisPage, qaPath()), openLive(presenter, qaPath('/present'))]);
    await presenter.getByText('Questions from the audience will appear here.').waitFor();

    // Ana asks anonymously; the form says moderators still see who asked.
    await anaPage.getByText('Moderators still see who asked').waitFor();
    await anaPage.getByRole('textbox', { name: 'Your question' }).fill(question);
    await anaPage.getByRole('checkbox', { name: 'Ask anonymously' }).check();
    await anaPage.getByRole('button', { name: 'Send question' }).click();
    await anaPage.getByText('It will appear once a moderator approves it.').waitFor();
    const anaItem = item(anaPage, question);
    await anaItem.getByText('Your question').waitFor();
    await anaItem.getByText('Awaiting approval').waitFor();

    // The moderator's queue shows it with the asker's name; attendees don't see it yet.
    const queued = moderator.locator('[data-list="queue"] li', { hasText: question });
    await queued.waitFor({ timeout: 10_000 });
    expect(await queued.locator('.qa-asker').textContent()).toBe('Ana Ferrer (anonymous to attendees)');
    expect(await item(luisPage, question).count()).toBe(0);

    // Approved with the keyboard: j selects the first question, a approves it.
    await moderator.locator('h1').click();
    await moderator.keyboard.press('j');
    await moderator.locator('li.qa-question.is-selected', { hasText: question }).waitFor();
    await moderator.keyboard.press('a');
    const published = moderator.locator('[data-list="published"] li', { hasText: question });
    await published.waitFor({ timeout: 10_000 });

    // Luis sees it, without Ana's name; Ana's badge goes.
    const luisItem = item(luisPage, question);
    await luisItem.waitFor({ timeout: 10_000 });
    expect(await luisItem.locator('.qa-asker').textContent()).toBe('Anonymous');
    expect(await luisPage.getByText('Ana Ferrer').count()).toBe(0);
    await anaItem.getByText('Awaiting approval').waitFor({ state: 'detached', timeout: 10_000 });

    // Luis upvotes: his count moves at once and stays at the server's 1; Ana's and the moderator's follow.
    const vote = luisItem.getByRole('button', { name: /Upvote/ });
    await vote.click();
    await luisItem.locator('.qa-vote[aria-pressed="true"][data-votes="1"]').waitFor();
    await anaItem.locator('.qa-vote[data-votes="1"]').waitFor({ timeout: 10_000 });
    await published.getByText('1 vote').waitFor({ timeout: 10_000 });
    await expect(
      t.dataSource.query(`SELECT v.voter_id FROM live_question_vote v JOIN live_question q ON q.id = v.question_id WHERE q.session_id = $1`, [session.id]),
    ).resolves.toEqual([{ voter_id: luis.id }]);
    const [asked] = await t.dataSource.query(`SELECT asker_id, anonymous FROM live_question WHERE session_id = $1`, [session.id]);
    expect(asked).toEqual({ asker_id: ana.id, anonymous: true });

    // The moderator highlights it: the presenter view and both attendees show it.
    await published.getByRole('button', { name: 'Highlight', exact: true }).click();
    await presenter.locator('.presenter-text', { hasText: question }).waitFor({ timeout: 10_000 });
    expect(await presenter.locator('.presenter-meta').textContent()).toContain('Anonymous');
    expect(await presenter.locator('.presenter-meta').textContent()).toContain('1 vote');
    await luisPage.locator('.qa-now', { hasText: question }).waitFor({ timeout: 10_000 });
    await anaPage.locator('.qa-now', { hasText: question }).waitFor({ timeout: 10_000 });
    // The presenter view has no page frame.
    expect(await presenter.locator('.site-header').count()).toBe(0);

    await screenshot(anaPage, 'live-qa-attendee-phone');
    await screenshot(luisPage, 'live-qa-attendee-voted-phone');
    await screenshot(moderator, 'live-qa-moderator-desktop');
    await screenshot(presenter, 'live-qa-presenter-desktop');

    // Marked answered (x, on the selected question): attendees see when, within the session.
    await moderator.locator('li.qa-question', { hasText: question }).locator('.qa-text').click();
    await moderator.keyboard.press('x');
    await luisPage.locator('li.qa-question', { hasText: question }).getByText(/^Answered \d+ min into the session$/).waitFor({ timeout: 10_000 });
    await anaPage.locator('li.qa-question', { hasText: question }).getByText(/^Answered \d+ min into the session$/).waitFor({ timeout: 10_000 });
    await moderator.locator('[data-list="done"] li', { hasText: question }).waitFor({ timeout: 10_000 });
    await screenshot(luisPage, 'live-qa-answered-phone');
    expect(errors).toEqual([]);
  }, 120_000);

  it('edits and withdraws one\'s own, dismisses with a reason, merges, sorts, hands over and exports', async () => {
    const s = await newModeratedSession('Creating a net zero community');
    await configure(s, { state: 'open' });
    const anaAgent = await signIn(t, ana.email, ana.password);
    const luisAgent = await signIn(t, luis.email, luis.password);
    const ask = async (agent: typeof anaAgent, body: string) => {
      const res = await agent.post(`/api/sessions/${s.slug}/qa/questions`).send({ body });
      if (res.status !== 201) throw new Error(`ask got ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body as { id: number };
    };
    const budget = await ask(anaAgent, 'What budget do pilots need?');
    const duplicate = await ask(anaAgent, 'How much money does a pilot need?');
    const mistaken = await ask(anaAgent, 'Is there a recording?');
    await ask(luisAgent, 'Off topic: where do we park?');
    const vote = await luisAgent.put(`/api/qa/questions/${duplicate.id}/vote`);
    expect(vote.status).toBe(200);

    const anaPage = await open(ana, { viewport: PHONE });
    const luisPage = await open(luis, { viewport: PHONE });
    const moderator = await open(marta);
    const errors = [...watchErrors(anaPage), ...watchErrors(luisPage), ...watchErrors(moderator)];
    for (const page of [anaPage, luisPage, moderator]) page.on('dialog', (dialog) => void dialog.accept());
    await Promise.all([openLive(anaPage, qaPath('', s)), openLive(luisPage, qaPath('', s)), openLive(moderator, qaPath('/moderate', s))]);

    // Sorted by votes, then by time: the voted one first; "Recent" puts Luis's, the newest, first.
    await expect(anaPage.locator('[data-list="questions"] .qa-text').first().textContent()).resolves.toBe('How much money does a pilot need?');
    await anaPage.getByRole('button', { name: 'Recent' }).click();
    await expect(anaPage.locator('[data-list="questions"] .qa-text').first().textContent()).resolves.toBe('Off topic: where do we park?');
    expect(await anaPage.locator('li.qa-question.is-mine').count()).toBe(3);

    // Ana edits one of hers and withdraws another; Luis sees both live.
    await item(anaPage, 'What budget do pilots need?').getByRole('button', { name: 'Edit' }).click();
    await anaPage.getByRole('textbox', { name: 'Edit' }).fill('What budget do pilot projects need?');
    await anaPage.getByRole('button', { name: 'Save' }).click();
    await item(luisPage, 'What budget do pilot projects need?').waitFor({ timeout: 10_000 });
    await item(anaPage, 'Is there a recording?').getByRole('button', { name: 'Withdraw' }).click();
    await item(luisPage, 'Is there a recording?').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await item(anaPage, 'Is there a recording?').count()).toBe(0);
    await expect(t.dataSource.query(`SELECT state FROM live_question WHERE id = $1`, [mistaken.id])).resolves.toEqual([{ state: 'withdrawn' }]);

    // A vote undone: shown at once, and stored as no vote.
    const luisBudget = item(luisPage, 'What budget do pilot projects need?');
    const voteAnswer = (method: string) => luisPage.waitForResponse((r) => r.url().endsWith(`/api/qa/questions/${budget.id}/vote`) && r.request().method() === method);
    const [cast] = await Promise.all([voteAnswer('PUT'), luisBudget.getByRole('button', { name: /Upvote/ }).click()]);
    expect(cast.status()).toBe(200);
    await luisBudget.locator('.qa-vote[aria-pressed="true"][data-votes="1"]').waitFor();
    await item(anaPage, 'What budget do pilot projects need?').locator('.qa-vote[data-votes="1"]').waitFor({ timeout: 10_000 });
    const [undone] = await Promise.all([voteAnswer('DELETE'), luisBudget.getByRole('button', { name: /Upvote/ }).click()]);
    expect(undone.status()).toBe(200);
    await luisBudget.locator('.qa-vote[aria-pressed="false"][data-votes="0"]').waitFor();
    await item(anaPage, 'What budget do pilot projects need?').locator('.qa-vote[data-votes="0"]').waitFor({ timeout: 10_000 });
    await expect(t.dataSource.query(`SELECT count(*)::int AS n FROM live_question_vote WHERE question_id = $1`, [budget.id])).resolves.toEqual([{ n: 0 }]);

    // Dismissed with a reason, from the keyboard (d opens the reason, Enter sends): gone for Ana, explained to Luis.
    const offTopic = moderator.locator('li.qa-question', { hasText: 'where do we park' });
    await offTopic.locator('.qa-text').click();
    await moderator.locator('li.qa-question.is-selected', { hasText: 'where do we park' }).waitFor();
    await moderator.keyboard.press('d');
    // fill(), not typing: a key typed before the field has focus would reach the queue's shortcuts.
    const reason = moderator.getByLabel('Reason for dismissing (optional)');
    await reason.fill('Not about this session');
    await reason.press('Enter');
    await item(luisPage, 'where do we park').getByText('Dismissed: Not about this session').waitFor({ timeout: 10_000 });
    await item(anaPage, 'where do we park').waitFor({ state: 'detached', timeout: 10_000 });

    // Merged: the duplicate goes, its vote joins the other.
    const dup = moderator.locator('li.qa-question', { hasText: 'How much money' });
    await dup.getByRole('button', { name: 'Merge into…' }).click();
    await dup.getByLabel('Merge this question into').selectOption({ label: 'What budget do pilot projects need?' });
    await dup.getByRole('button', { name: 'Merge', exact: true }).click();
    await dup.waitFor({ state: 'detached', timeout: 10_000 });
    await item(luisPage, 'How much money').waitFor({ state: 'detached', timeout: 10_000 });
    await item(anaPage, 'What budget do pilot projects need?').locator('.qa-vote[data-votes="1"]').waitFor({ timeout: 10_000 });
    await item(luisPage, 'What budget do pilot projects need?').locator('.qa-vote[aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await expect(t.dataSource.query(`SELECT state, merged_into_id FROM live_question WHERE id = $1`, [duplicate.id])).resolves.toEqual([
      { state: 'merged', merged_into_id: budget.id },
    ]);

    // Edited for clarity by the moderator (e), seen by attendees as edited.
    await moderator.locator('li.qa-question', { hasText: 'What budget do pilot projects need?' }).locator('.qa-text').click();
    await moderator.keyboard.press('e');
    await moderator.getByRole('textbox', { name: 'Edit for clarity' }).fill('What budget do pilot projects need in their first year?');
    await moderator.getByRole('button', { name: 'Save', exact: true }).click();
    await item(luisPage, 'in their first year?').getByText('(edited)').waitFor({ timeout: 10_000 });

    // Export links answer files with the questions.
    const csvHref = await moderator.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = await moderator.context().request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('What budget do pilot projects need in their first year?');
    const mdHref = await moderator.getByRole('link', { name: 'Download Markdown' }).getAttribute('href');
    expect((await moderator.context().request.get(mdHref!)).status()).toBe(200);

    // Hand-over: the unanswered question goes to the forum; attendees get the way there.
    await moderator.getByRole('button', { name: 'Hand over to the forum' }).click();
    await moderator.locator('.qa-status', { hasText: '1 question handed over to the forum.' }).waitFor({ timeout: 10_000 });
    await anaPage.locator('.qa-ended').getByRole('link', { name: 'Continue in the forum' }).waitFor({ timeout: 10_000 });
    const carriedItem = item(anaPage, 'in their first year?');
    await carriedItem.getByRole('link', { name: 'Continue in the forum' }).waitFor({ timeout: 10_000 });
    await carriedItem.getByText('Moved to the forum').waitFor();
    expect(await carriedItem.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    // Every attendee sees where it went, not only its asker.
    await item(luisPage, 'in their first year?').getByRole('link', { name: 'Continue in the forum' }).waitFor({ timeout: 10_000 });
    const [carried] = await t.dataSource.query(`SELECT title FROM question WHERE forum_id IN (SELECT id FROM forum WHERE session_id = $1)`, [s.id]);
    expect(carried.title).toBe('What budget do pilot projects need in their first year?');
    await screenshot(anaPage, 'live-qa-handed-over-phone');

    // The moderator ends the session: attendees are told, and can no longer ask.
    await moderator.getByLabel('Session state').selectOption('ended');
    await moderator.getByRole('button', { name: 'Set state' }).click();
    await moderator.getByRole('button', { name: 'End the session and hand over' }).click();
    await anaPage.locator('.qa-ended', { hasText: 'The session has ended.' }).waitFor({ timeout: 10_000 });
    await anaPage.getByRole('textbox', { name: 'Your question' }).waitFor({ state: 'detached', timeout: 10_000 });
    await expect(t.dataSource.query(`SELECT state FROM session WHERE id = $1`, [s.id])).resolves.toEqual([{ state: 'ended' }]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('says there is nothing to carry over when every question was answered, and makes no empty forum', async () => {
    const s = await newModeratedSession('Open data in rural areas');
    await configure(s, { state: 'open' });
    const anaAgent = await signIn(t, ana.email, ana.password);
    const asked = await anaAgent.post(`/api/sessions/${s.slug}/qa/questions`).send({ body: 'Which datasets come first?' });
    expect(asked.status).toBe(201);
    const answered = await (await signIn(t, marta.email, marta.password)).post(`/api/qa/questions/${asked.body.id}/moderate`).send({ action: 'answer' });
    expect(answered.status).toBe(200);

    const anaPage = await open(ana, { viewport: PHONE });
    const moderator = await open(marta);
    const errors = [...watchErrors(anaPage), ...watchErrors(moderator)];
    moderator.on('dialog', (dialog) => void dialog.accept());
    await Promise.all([openLive(anaPage, qaPath('', s)), openLive(moderator, qaPath('/moderate', s))]);

    await moderator.getByRole('button', { name: 'Hand over to the forum' }).click();
    await moderator.locator('.qa-status', { hasText: 'Nothing to carry over' }).waitFor({ timeout: 10_000 });
    await moderator.getByLabel('Session state').selectOption('ended');
    await moderator.getByRole('button', { name: 'Set state' }).click();
    await moderator.getByRole('button', { name: 'End the session and hand over' }).click();
    await anaPage.locator('.qa-ended', { hasText: 'Every question was answered or dismissed' }).waitFor({ timeout: 10_000 });
    expect(await anaPage.locator('.qa-ended').getByRole('link').count()).toBe(0);
    await expect(t.dataSource.query(`SELECT id FROM forum WHERE session_id = $1`, [s.id])).resolves.toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('lets a guest join with a name, and says when they may ask again', async () => {
    const s = await newModeratedSession('Sustainable urban mobility');
    await configure(s, { state: 'open', allowGuests: true });
    const page = await open(null, { viewport: PHONE });
    const errors = watchErrors(page);
    await openLive(page, qaPath('', s));
    await page.getByText('Sign in to ask and vote.').waitFor();
    await page.getByLabel('Your name').fill('Gina Guest');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByText('Taking part as guest Gina Guest').waitFor({ timeout: 10_000 });

    await page.getByRole('textbox', { name: 'Your question' }).fill('Are bike lanes safe in winter?');
    await page.getByRole('button', { name: 'Send question' }).click();
    await item(page, 'Are bike lanes safe in winter?').getByText('Your question').waitFor({ timeout: 10_000 });
    // Guests ask at most once every 30 s: the refusal says when to try again.
    await page.getByRole('textbox', { name: 'Your question' }).fill('And in the rain?');
    await page.getByRole('button', { name: 'Send question' }).click();
    await page.locator('.qa-ask .form-error', { hasText: /again in \d+ s/ }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'live-qa-guest-phone');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a banner while disconnected and catches up on reconnection, each question once', async () => {
    const s = await newModeratedSession('Urban heat islands');
    await configure(s, { state: 'open' });
    const page = await open(luis, { viewport: PHONE });
    const connection = await cuttableConnection(page);
    await openLive(page, qaPath('', s));
    // A marker that a reload would wipe: the catch-up must happen in this same page.
    await page.evaluate('window.stillThisPage = true');
    expect(await connection.upgraded()).toBe(true);

    await connection.cut();
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor({ timeout: 15_000 });

    const anaAgent = await signIn(t, ana.email, ana.password);
    const asked = await anaAgent.post(`/api/sessions/${s.slug}/qa/questions`).send({ body: 'Asked while Luis was offline' });
    expect(asked.status).toBe(201);

    await connection.restore();
    await item(page, 'Asked while Luis was offline').waitFor({ timeout: 20_000 });
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await item(page, 'Asked while Luis was offline').count()).toBe(1);
    expect(await page.evaluate('window.stillThisPage')).toBe(true);
  }, 90_000);

  it('has no serious accessibility problems, shows its shortcuts, and speaks Spanish and French', async () => {
    const attendee = await open(luis, { viewport: PHONE });
    await openLive(attendee, qaPath());
    expect(await seriousA11yViolations(attendee)).toEqual([]);
    const moderator = await open(marta, { viewport: DESKTOP });
    await openLive(moderator, qaPath('/moderate'));
    expect(await seriousA11yViolations(moderator)).toEqual([]);
    await moderator.locator('h1').click();
    await moderator.keyboard.press('?');
    await moderator.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await seriousA11yViolations(moderator)).toEqual([]);
    await screenshot(moderator, 'live-qa-moderator-shortcuts-desktop');
    const phoneModerator = await open(marta, { viewport: PHONE });
    await openLive(phoneModerator, qaPath('/moderate'));
    await screenshot(phoneModerator, 'live-qa-moderator-phone');
    const presenter = await open(null);
    await openLive(presenter, qaPath('/present'));
    expect(await seriousA11yViolations(presenter)).toEqual([]);

    // A visitor's browser language; a moderator's choice in the header (kept on her account, so last).
    const es = await open(null, { locale: 'es-ES', viewport: PHONE });
    await openLive(es, qaPath());
    await es.getByRole('heading', { level: 1, name: 'Preguntas en directo' }).waitFor();
    await es.getByText('Inicie sesión para preguntar y votar.').waitFor();
    await moderator.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await moderator.getByRole('heading', { level: 1, name: 'Modérer les questions' }).waitFor();
    await moderator.getByRole('heading', { name: 'Raccourcis clavier' }).waitFor();
    await moderator.getByRole('heading', { name: 'Réglages des questions' }).waitFor();
  }, 90_000);
});
