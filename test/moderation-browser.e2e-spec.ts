import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/app.js';
import { PHONE, describeInBrowser, ensureClientBuilt, launchBrowser, personContext, screenshot, seriousA11yViolations, watchErrors, closeBrowserScene } from './support/browser.js';
import { addMember, newForum, newQuestion, newSession } from './support/fixtures.js';
import { createAccount, signIn, type TestPerson } from './support/people.js';
import { postReply } from './support/threads.js';

/**
 * Moderation in the web client (headless Chromium against the real app):
 * a member flags a reply, the moderator's queue shows it live, the
 * moderator hides it from the reply's menu, the member's open thread shows
 * the placeholder with the reason, and the record lists the act; a pending
 * reply reaches only its author and the moderators until it is approved
 * with one key in the queue; slow mode says when one can post again.
 */
describeInBrowser('moderation in the web client', () => {
  let t: TestApp;
  let browser: Browser;
  let ana: TestPerson;
  let luis: TestPerson;
  let marta: TestPerson;
  let forum: { id: number };
  let question: { id: number };
  const contexts: BrowserContext[] = [];

  const pageFor = async (who: TestPerson, locale = 'en-GB'): Promise<Page> => {
    const context = await personContext(browser, t, { email: who.email, password: who.password, locale });
    contexts.push(context);
    return context.newPage();
  };
  /** Opens a page and waits until it follows the forum live. */
  const openLive = async (page: Page, path: string) => {
    await page.goto(path);
    await page.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
  };
  const threadPath = (questionId = question.id) => `/forums/${forum.id}/questions/${questionId}`;
  const act = async (who: TestPerson, command: Record<string, unknown>) => {
    const res = await (await signIn(t, who.email, who.password)).post('/api/moderation/acts').send(command);
    if (res.status !== 200) throw new Error(`${String(command.act)} got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
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
    question = await newQuestion(t, forum.id, { title: 'How is your administration adapting to the digital reality?' });
  }, 180_000);

  afterAll(() => closeBrowserScene(contexts, browser, t), 30_000);

  it('flag → live queue → hide from the menu → placeholder with the reason, live → the record lists the act', async () => {
    const reply = await postReply(await signIn(t, luis.email, luis.password), question.id, 'Buy cheap watches at example.com!');
    const anaPage = await pageFor(ana);
    const queuePage = await pageFor(marta);
    const martaThread = await pageFor(marta);
    const errors = [...watchErrors(anaPage), ...watchErrors(queuePage), ...watchErrors(martaThread)];
    await Promise.all([openLive(anaPage, threadPath()), openLive(queuePage, `/forums/${forum.id}/moderation`), openLive(martaThread, threadPath())]);
    await queuePage.getByText('Nothing to review right now.').waitFor();

    // Ana flags the reply from its menu.
    await anaPage.locator(`#reply-${reply.id}`).getByRole('button', { name: 'Actions on the reply by Luis Moreno' }).click();
    await anaPage.getByRole('menuitem', { name: 'Flag…' }).click();
    const flagDialog = anaPage.getByRole('dialog', { name: 'Flag this reply for the moderators' });
    await flagDialog.getByRole('radio', { name: 'Spam or advertising' }).check();
    await flagDialog.getByRole('textbox', { name: 'Details for the moderators (optional)' }).fill('An advert for watches.');
    await flagDialog.getByRole('button', { name: 'Send to the moderators' }).click();
    await anaPage.getByRole('alert').filter({ hasText: 'The moderators will review this reply' }).waitFor();

    // Marta's queue shows it without a reload, with the reason and the note.
    const item = queuePage.locator(`.queue-item[data-reply-id="${reply.id}"]`);
    await item.waitFor({ timeout: 10_000 });
    await item.getByText('Flagged by 1 member').waitFor();
    await item.getByText('Spam or advertising — Ana Ferrer').waitFor();
    await item.getByText('An advert for watches.').waitFor();
    await queuePage.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
    await screenshot(queuePage, 'moderation-queue-flag');

    // Marta hides it from the reply's menu, with a reason.
    await martaThread.locator(`#reply-${reply.id}`).getByRole('button', { name: 'Actions on the reply by Luis Moreno' }).click();
    await martaThread.getByRole('menuitem', { name: 'Hide…' }).click();
    const hideDialog = martaThread.getByRole('dialog', { name: 'Hide this reply' });
    await hideDialog.getByRole('textbox', { name: 'Reason' }).fill('Advertising is not allowed here');
    await hideDialog.getByRole('button', { name: 'Hide reply' }).click();
    await hideDialog.waitFor({ state: 'detached' });
    // She still sees the text, marked hidden, with the reason.
    const martaReply = martaThread.locator(`#reply-${reply.id}`);
    await martaReply.locator('.badge', { hasText: 'Hidden' }).waitFor();
    await martaReply.getByText('Hidden from readers. Reason: Advertising is not allowed here').waitFor();
    await martaReply.getByText('Buy cheap watches').waitFor();
    await screenshot(martaThread, 'moderation-thread-moderator-hidden');

    // Ana's open thread shows the placeholder with the reason, live; the text is gone.
    const anaReply = anaPage.locator(`#reply-${reply.id}`);
    await anaReply.getByText('Hidden by a moderator: Advertising is not allowed here').waitFor({ timeout: 10_000 });
    expect(await anaReply.getByText('Buy cheap watches').count()).toBe(0);
    await screenshot(anaPage, 'moderation-thread-member-placeholder');

    // The record lists the act, with who, whose and why.
    const recordPage = await pageFor(marta);
    await recordPage.goto(`/forums/${forum.id}/record`);
    const row = recordPage.locator('tr[data-act="reply.hide"]');
    await row.waitFor();
    await row.getByText('Marta Moderadora').waitFor();
    await row.getByText('Luis Moreno').waitFor();
    await row.getByRole('cell', { name: 'Advertising is not allowed here', exact: true }).waitFor();
    // Each change as a sentence, not as raw field names.
    await row.getByText('It went from visible to hidden.').waitFor();
    await row.getByText('Reason shown in its place: “Advertising is not allowed here”.').waitFor();
    expect(await row.innerText()).not.toMatch(/stateReason|state:/);
    await screenshot(recordPage, 'moderation-record-log');

    // Luis sees the act on his own reply; anyone sees the public summary, without names.
    const luisRecord = await pageFor(luis);
    await luisRecord.goto(`/forums/${forum.id}/record?view=mine`);
    await luisRecord.locator('tr[data-act="reply.hide"]').getByRole('cell', { name: 'Advertising is not allowed here', exact: true }).waitFor();
    await luisRecord.goto(`/forums/${forum.id}/record?view=public`);
    await luisRecord.locator('.removals').getByText('Advertising is not allowed here').waitFor();
    expect(await luisRecord.locator('.removals').getByText('Marta Moderadora').count()).toBe(0);
    await screenshot(luisRecord, 'moderation-record-public');

    // Marta upholds the flag from the queue with one key; Ana is told the outcome, live, and finds it in her record.
    await item.locator('article').click();
    await queuePage.keyboard.press('r');
    await item.waitFor({ state: 'detached', timeout: 10_000 });
    await anaPage.getByRole('alert').filter({ hasText: 'The moderators acted on a reply you flagged.' }).waitFor({ timeout: 10_000 });
    const anaRecord = await pageFor(ana);
    await anaRecord.goto(`/forums/${forum.id}/record?view=mine`);
    await anaRecord.locator('li[data-flag-state="upheld"]', { hasText: 'Spam or advertising' }).getByText('the moderators acted on it').waitFor();

    // Unhidden (with a reason for the record): the text is back in Ana's open thread, live.
    await martaThread.locator(`#reply-${reply.id}`).getByRole('button', { name: 'Actions on the reply by Luis Moreno' }).click();
    await martaThread.getByRole('menuitem', { name: 'Unhide' }).click();
    const unhideDialog = martaThread.getByRole('dialog', { name: 'Show this reply again' });
    await unhideDialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('Luis explained the link');
    await unhideDialog.getByRole('button', { name: 'Unhide reply' }).click();
    await anaReply.getByText('Buy cheap watches').waitFor({ timeout: 10_000 });
    expect(await anaReply.getByText('Hidden by a moderator').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows a pending reply to its author and the moderators only, and approves it with one key in the queue', async () => {
    const q = await newQuestion(t, forum.id, { title: 'What digital divides do you see in your metropolitan area?' });
    const luisPage = await pageFor(luis);
    const anaPage = await pageFor(ana);
    const martaThread = await pageFor(marta);
    const queuePage = await pageFor(marta);
    const errors = [...watchErrors(luisPage), ...watchErrors(anaPage), ...watchErrors(martaThread), ...watchErrors(queuePage)];
    await Promise.all([
      openLive(luisPage, threadPath(q.id)),
      openLive(anaPage, threadPath(q.id)),
      openLive(martaThread, threadPath(q.id)),
      openLive(queuePage, `/forums/${forum.id}/moderation`),
    ]);
    // Marta turns pre-moderation on from the queue page.
    await queuePage.getByText('Moderation settings of this forum').click();
    await queuePage.getByRole('checkbox', { name: 'Every new reply waits for a moderator’s approval' }).check();
    await queuePage.getByRole('button', { name: 'Save settings' }).click();
    await queuePage.getByText('Settings saved.').waitFor();

    // Luis posts through the interface; it waits for approval, and he is told so.
    await luisPage.getByRole('textbox', { name: 'Your reply' }).fill('Older people without broadband are left behind.');
    await luisPage.getByRole('button', { name: 'Post reply' }).click();
    const own = luisPage.locator('li.reply', { hasText: 'Older people without broadband' });
    await own.waitFor();
    await own.locator('.badge', { hasText: 'Waiting for approval' }).waitFor();
    await own.getByText('Only you and the moderators can see this reply').waitFor();
    const replyId = (await own.getAttribute('id'))!.replace('reply-', '');

    // Marta's open thread gets it live, marked; her queue lists it.
    await martaThread.locator(`#reply-${replyId} .badge`, { hasText: 'Waiting for approval' }).waitFor({ timeout: 10_000 });
    const item = queuePage.locator(`.queue-item[data-reply-id="${replyId}"][data-kind="pending"]`);
    await item.waitFor({ timeout: 10_000 });
    // Ana, a member, doesn't see it (the moderator's copy arrived through the same ordered stream).
    expect(await anaPage.locator(`#reply-${replyId}`).count()).toBe(0);
    await screenshot(queuePage, 'moderation-queue-pending');

    // One key approves the selected item.
    await item.locator('article').click();
    await queuePage.keyboard.press('a');
    await item.waitFor({ state: 'detached', timeout: 10_000 });
    await queuePage.getByRole('status').filter({ hasText: 'Approved the reply by Luis Moreno.' }).first().waitFor();

    // Ana sees it arrive live; Luis's badge is gone.
    await anaPage.locator(`#reply-${replyId}`, { hasText: 'Older people without broadband' }).waitFor({ timeout: 10_000 });
    expect(await anaPage.locator(`[data-reply-id="${replyId}"]`).count()).toBe(1);
    await luisPage.locator(`#reply-${replyId} .badge`, { hasText: 'Waiting for approval' }).waitFor({ state: 'detached', timeout: 10_000 });
    expect(errors).toEqual([]);
    await act(marta, { act: 'forum.settings', forumId: forum.id, premoderation: false });
  }, 120_000);

  it('moves a reply with its answers, features it, writes a synthesis, locks and merges, each seen live by members', async () => {
    const from = await newQuestion(t, forum.id, { title: 'Which data do you open first?' });
    const to = await newQuestion(t, forum.id, { title: 'How do you publish open data?' });
    const luisAgent = await signIn(t, luis.email, luis.password);
    const moved = await postReply(luisAgent, from.id, 'Transport timetables, then budgets.');
    const answer = await postReply(await signIn(t, ana.email, ana.password), from.id, 'Budgets first for us.', moved.id);
    const stays = await postReply(luisAgent, from.id, 'Air quality sensors.');
    const anaFrom = await pageFor(ana);
    const luisTo = await pageFor(luis);
    const martaPage = await pageFor(marta);
    const errors = [...watchErrors(anaFrom), ...watchErrors(luisTo), ...watchErrors(martaPage)];
    await Promise.all([openLive(anaFrom, threadPath(from.id)), openLive(luisTo, threadPath(to.id)), openLive(martaPage, threadPath(from.id))]);

    // Move: the reply and the answer under it leave this thread for everyone, and arrive in the other one.
    const menuButton = martaPage.locator(`#reply-${moved.id}`).getByRole('button', { name: 'Actions on the reply by Luis Moreno' }).first();
    await menuButton.click();
    // The menu is reachable by keyboard: focus starts on its first item, arrows move, Escape closes it.
    await martaPage.keyboard.press('ArrowDown');
    await martaPage.keyboard.press('Escape');
    await martaPage.getByRole('menu').waitFor({ state: 'detached' });
    await menuButton.click();
    await martaPage.getByRole('menuitem', { name: 'Move to another question…' }).click();
    const moveDialog = martaPage.getByRole('dialog', { name: 'Move this reply and the replies to it' });
    await moveDialog.getByRole('combobox', { name: 'Move to the question' }).selectOption({ label: 'How do you publish open data?' });
    await moveDialog.getByRole('button', { name: 'Move' }).click();
    await martaPage.locator(`#reply-${moved.id}`).waitFor({ state: 'detached' });
    await anaFrom.locator(`#reply-${moved.id}`).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await anaFrom.locator(`#reply-${answer.id}`).count()).toBe(0);
    await anaFrom.locator(`#reply-${stays.id}`).waitFor();
    await luisTo.locator(`#reply-${moved.id} #reply-${answer.id}`, { hasText: 'Budgets first for us.' }).waitFor({ timeout: 10_000 });

    // Feature it, in its new thread: a badge and a link at the top, live for Luis.
    await martaPage.goto(threadPath(to.id));
    await martaPage.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
    await martaPage.locator(`#reply-${moved.id}`).getByRole('button', { name: 'Actions on the reply by Luis Moreno' }).first().click();
    await martaPage.getByRole('menuitem', { name: 'Feature as a key contribution' }).click();
    await luisTo.locator(`#reply-${moved.id} .badge`, { hasText: 'Key contribution' }).first().waitFor({ timeout: 10_000 });
    await luisTo.getByRole('navigation', { name: 'Key contributions' }).getByRole('link', { name: 'Reply by Luis Moreno' }).waitFor({ timeout: 10_000 });

    // A synthesis at the top of the thread.
    await martaPage.getByRole('button', { name: 'Write a synthesis' }).click();
    await martaPage.getByRole('textbox', { name: 'Moderators’ synthesis' }).fill('Most cities open **transport** data first.');
    await martaPage.getByRole('button', { name: 'Save synthesis' }).click();
    await luisTo.getByRole('region', { name: 'Moderators’ synthesis' }).getByText('Most cities open transport data first.').waitFor({ timeout: 10_000 });

    // Lock: Luis can no longer reply, and is told why.
    await martaPage.getByRole('button', { name: 'Lock', exact: true }).click();
    await martaPage.getByRole('button', { name: 'Unlock' }).waitFor();
    await luisTo.getByText('This question is locked: no new replies.').waitFor({ timeout: 10_000 });
    expect(await luisTo.getByRole('textbox', { name: 'Your reply' }).count()).toBe(0);
    await screenshot(luisTo, 'moderation-thread-curated');
    expect(await seriousA11yViolations(martaPage)).toEqual([]);

    // Reorder: one place up in the forum's agenda.
    const [before] = await t.dataSource.query(`SELECT position FROM question WHERE id = $1`, [to.id]);
    await martaPage.locator('.notice button').click();
    await martaPage.locator('.notice').waitFor({ state: 'detached' });
    await martaPage.getByRole('button', { name: 'Move up' }).click();
    await martaPage.getByRole('alert').filter({ hasText: 'Done.' }).waitFor();
    const [after] = await t.dataSource.query(`SELECT position FROM question WHERE id = $1`, [to.id]);
    expect(after.position).toBe(before.position - 1);

    // Merge the first question into this one: Ana, still on it, is sent on.
    await martaPage.goto(threadPath(from.id));
    await martaPage.getByRole('button', { name: 'Merge into…' }).click();
    const mergeDialog = martaPage.getByRole('dialog', { name: 'Merge this question into another' });
    await mergeDialog.getByRole('combobox', { name: 'Merge into the question' }).selectOption({ label: 'How do you publish open data?' });
    await mergeDialog.getByRole('button', { name: 'Merge' }).click();
    await anaFrom.getByText('This question was merged into another one').waitFor({ timeout: 10_000 });
    await anaFrom.getByRole('link', { name: 'Go to that question' }).click();
    await anaFrom.locator(`#reply-${stays.id}`).waitFor();
    expect(new URL(anaFrom.url()).pathname).toBe(threadPath(to.id));
    expect(errors).toEqual([]);
  }, 120_000);

  it('silences a member from the reply menu; the member is told until when, live and when posting', async () => {
    const q = await newQuestion(t, forum.id, { title: 'Who funds your digital inclusion work?' });
    const olga = await createAccount(t, { displayName: 'Olga Ortiz' });
    await addMember(t, forum.id, olga.id, 'member');
    const reply = await postReply(await signIn(t, olga.email, olga.password), q.id, 'Nobody, and that is a scandal!!!');
    const olgaPage = await pageFor(olga);
    const martaPage = await pageFor(marta);
    const errors = [...watchErrors(olgaPage), ...watchErrors(martaPage)];
    await Promise.all([openLive(olgaPage, threadPath(q.id)), openLive(martaPage, threadPath(q.id))]);

    await martaPage.locator(`#reply-${reply.id}`).getByRole('button', { name: 'Actions on the reply by Olga Ortiz' }).click();
    await martaPage.getByRole('menuitem', { name: 'Silence Olga Ortiz in this forum…' }).click();
    const dialog = martaPage.getByRole('dialog', { name: 'Silence Olga Ortiz in this forum' });
    await dialog.getByRole('combobox', { name: 'For' }).selectOption({ label: '1 hour' });
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('Shouting at other members');
    // The open dialog passes the accessibility check too.
    expect(await seriousA11yViolations(martaPage)).toEqual([]);
    await dialog.getByRole('button', { name: 'Silence' }).click();
    await martaPage.getByRole('alert').filter({ hasText: 'Olga Ortiz is silenced in this forum until' }).waitFor();

    // Olga's open thread tells her, live; posting says the same.
    await olgaPage.getByRole('alert').filter({ hasText: 'A moderator has silenced you in this forum until' }).waitFor({ timeout: 10_000 });
    await olgaPage.getByRole('textbox', { name: 'Your reply' }).fill('Why can I not post?');
    await olgaPage.getByRole('button', { name: 'Post reply' }).click();
    await olgaPage.locator('.form-error', { hasText: 'A moderator has silenced you in this forum until' }).waitFor();
    expect(await olgaPage.locator('li.reply', { hasText: 'Why can I not post?' }).count()).toBe(0);

    // The queue page lists the silence; lifting it lets Olga post.
    const queuePage = await pageFor(marta);
    await openLive(queuePage, `/forums/${forum.id}/moderation`);
    const silences = queuePage.getByRole('region', { name: 'Silenced members' });
    await silences.getByText('Shouting at other members').waitFor();
    await silences.getByRole('button', { name: 'Lift the silence of Olga Ortiz' }).click();
    await silences.getByText('Olga Ortiz can post again.').waitFor();
    await silences.getByText('Nobody is silenced in this forum.').waitFor();
    await olgaPage.getByRole('button', { name: 'Post reply' }).click();
    await olgaPage.locator('li.reply', { hasText: 'Why can I not post?' }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('opens the reply menu and the flag dialog on a phone, accessibly', async () => {
    const q = await newQuestion(t, forum.id, { title: 'What would you do differently?' });
    const reply = await postReply(await signIn(t, luis.email, luis.password), q.id, 'Start with the people, not the platform.');
    const context = await personContext(browser, t, { email: ana.email, password: ana.password, viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    await openLive(page, threadPath(q.id));
    await page.locator(`#reply-${reply.id}`).getByRole('button', { name: 'Actions on the reply by Luis Moreno' }).click();
    await page.getByRole('menuitem', { name: 'Flag…' }).waitFor();
    await screenshot(page, 'moderation-reply-menu-phone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('menuitem', { name: 'Flag…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Flag this reply for the moderators' });
    // "Something else" needs a word for the moderators.
    await dialog.getByRole('radio', { name: 'Something else' }).check();
    await dialog.getByRole('button', { name: 'Send to the moderators' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Tell the moderators what is wrong.' }).waitFor();
    await screenshot(page, 'moderation-flag-dialog-phone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Focus is back on the menu button.
    await page.waitForFunction(`document.activeElement?.getAttribute('aria-haspopup') === 'menu'`, undefined, { timeout: 5_000 });
  }, 60_000);

  it('says when a person in slow mode can post again, in their language', async () => {
    const q = await newQuestion(t, forum.id, { title: 'Which services went online first?' });
    await act(marta, { act: 'question.slow_mode', questionId: q.id, seconds: 600 });
    const lucia = await createAccount(t, { displayName: 'Lucía Sanz', language: 'es' });
    await addMember(t, forum.id, lucia.id, 'member');
    const page = await pageFor(lucia, 'es-ES');
    await openLive(page, threadPath(q.id));
    await page.getByText('Modo lento: una respuesta por persona cada 10 minutos.').waitFor();
    const box = page.getByRole('textbox', { name: 'Su respuesta' });
    await box.fill('Primero, el padrón.');
    await box.press('Control+Enter');
    await page.locator('li.reply', { hasText: 'Primero, el padrón.' }).waitFor();
    await box.fill('Y después, las licencias.');
    await box.press('Control+Enter');
    const refusal = page.locator('.form-error', { hasText: 'El modo lento está activado: podrá publicar de nuevo a las' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\(dentro de \d+ minutos\)/);
    await screenshot(page, 'moderation-slow-mode-es');
  }, 60_000);

  it('shows the queue and the record in French, with no serious accessibility violations', async () => {
    const camille = await createAccount(t, { displayName: 'Camille Roux', language: 'fr' });
    await addMember(t, forum.id, camille.id, 'moderator');
    const page = await pageFor(camille, 'fr-FR');
    await page.goto(`/forums/${forum.id}/moderation`);
    await page.getByRole('heading', { name: 'File de modération' }).waitFor();
    await page.getByRole('heading', { name: 'Raccourcis clavier' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto(`/forums/${forum.id}/record`);
    await page.getByRole('heading', { name: 'Registre de modération' }).waitFor();
    await page.locator('tr[data-act="reply.hide"]').getByText('A masqué une réponse').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'moderation-record-fr');
  }, 60_000);

  // Issue 18: members propose questions; the moderator approves them from the queue.
  it('propose → awaiting approval for its author only → approved from the queue → the other member sees it', async () => {
    const [anaPage, luisPage, martaPage] = [await pageFor(ana), await pageFor(luis), await pageFor(marta)];
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
    await luisPage.getByText('How is your administration adapting to the digital reality?').waitFor();
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
