import { afterAll, beforeAll, expect, it } from '@jest/globals';
import jsQRModule from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/app.js';
import { PHONE, describeInBrowser, ensureClientBuilt, launchBrowser, personContext, screenshot, watchErrors, type Viewport, closeBrowserScene } from './support/browser.js';
import { newSession } from './support/fixtures.js';
import { createAccount, signIn, type TestPerson } from './support/people.js';

/**
 * The presenter screen and a poll round in the web client (headless
 * Chromium against the real app): the QR code the screen draws is decoded
 * and its address opened by an attendee; the top questions show live
 * counts; the moderator drives the screen from the keyboard; a poll is
 * prepared and launched from the moderator's page, answered from a phone,
 * and its result shown on the presenter screen.
 */
// jsqr is CommonJS with a default export in its types: under Node's ESM the function is the module itself.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsQRModule as unknown as { default?: Decode }).default ?? jsQRModule) as unknown as Decode;

/** The pixels of an image in the page (run in the browser; no DOM types in the test's compilation). */
const IMAGE_PIXELS = `(async (img) => {
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width: data.width, height: data.height, data: Array.from(data.data) };
})`;

describeInBrowser('the presenter screen and live polls in the web client', () => {
  let t: TestApp;
  let browser: Browser;
  let ana: TestPerson;
  let marta: TestPerson;
  const contexts: BrowserContext[] = [];

  const open = async (who: TestPerson | null, opts: { viewport?: Viewport } = {}): Promise<Page> => {
    const context = await personContext(browser, t, { email: who?.email, password: who?.password, ...opts });
    contexts.push(context);
    return context.newPage();
  };
  const openLive = async (page: Page, path: string) => {
    await page.goto(path);
    await page.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
  };

  beforeAll(async () => {
    ensureClientBuilt();
    t = await startTestApp();
    browser = await launchBrowser();
    [ana, marta] = await Promise.all([createAccount(t, { displayName: 'Ana Ferrer' }), createAccount(t, { displayName: 'Marta Moderadora' })]);
  }, 180_000);

  afterAll(() => closeBrowserScene(contexts, browser, t), 30_000);

  it('shows a QR code and a join code that open the attendee view, the top questions live, and follows the keyboard', async () => {
    const s = await newSession(t, { title: 'Creating a net zero community' });
    await t.dataSource.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2)`, [s.id, marta.id]);
    const mod = await signIn(t, marta.email, marta.password);
    await mod.patch(`/api/sessions/${s.id}/qa`).send({ state: 'open' }).expect(200);
    const anaApi = await signIn(t, ana.email, ana.password);
    const ask = async (body: string) => (await anaApi.post(`/api/sessions/${s.id}/qa/questions`).send({ body }).expect(201)).body.id as number;
    const first = await ask('How do we measure household emissions?');
    const second = await ask('Who pays for the heat pumps?');
    await mod.put(`/api/qa/questions/${second}/vote`).expect(200);

    const presenter = await open(marta);
    const errors = watchErrors(presenter);
    await openLive(presenter, `/sessions/${s.slug}/qa/present`);
    const code = (await presenter.locator('.presenter-code').textContent({ timeout: 10_000 }))!.replace(/^Code /, '');
    expect(code).toMatch(/^[A-Z0-9]{6}$/);

    // Decode the QR code as drawn on the screen.
    const qr = presenter.locator('img.presenter-qr');
    await qr.waitFor();
    const pixels = (await qr.evaluate((img, source) => (0, eval)(source)(img), IMAGE_PIXELS)) as { width: number; height: number; data: number[] };
    const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
    expect(decoded?.data).toBe(`${t.url}/j/${code}`);

    // The top questions, most voted first, with live counts.
    const top = presenter.locator('.presenter-top-questions li');
    await expect(top.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-question-id'))))).resolves.toEqual([second, first]);
    await anaApi.put(`/api/qa/questions/${first}/vote`).expect(200);
    await presenter.locator(`.presenter-top-questions li[data-question-id="${first}"][data-votes="1"]`).waitFor({ timeout: 10_000 });

    // The attendee follows the QR code's address to the Q&A.
    const phone = await open(null, { viewport: PHONE });
    await phone.goto(decoded!.data);
    await phone.waitForURL(`**/sessions/${s.slug}/qa`, { timeout: 10_000 });
    await phone.locator('[data-live="subscribed"]').waitFor({ timeout: 15_000 });
    await phone.getByText('Who pays for the heat pumps?').waitFor();

    // Keyboard: N highlights the next question (most votes first), C clears it.
    await presenter.keyboard.press('n');
    await presenter.locator(`.presenter-question[data-question-id]`).waitFor({ timeout: 10_000 });
    const shown = Number(await presenter.locator('.presenter-question').getAttribute('data-question-id'));
    expect([first, second]).toContain(shown);
    await phone.locator('.qa-now').waitFor({ timeout: 10_000 });
    await presenter.keyboard.press('c');
    await presenter.locator('.presenter-top-questions').waitFor({ timeout: 10_000 });
    await expect(t.dataSource.query(`SELECT highlighted_question_id FROM live_qa WHERE session_id = $1`, [s.id])).resolves.toEqual([{ highlighted_question_id: null }]);
    await screenshot(presenter, 'presenter-top-questions');
    expect(errors).toEqual([]);
  }, 90_000);

  it('runs a poll round: prepared and launched by the moderator, answered on a phone, its result on the presenter screen', async () => {
    const s = await newSession(t, { title: 'Sustainable urban mobility' });
    await t.dataSource.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2)`, [s.id, marta.id]);
    await (await signIn(t, marta.email, marta.password)).patch(`/api/sessions/${s.id}/qa`).send({ state: 'open' }).expect(200);
    const moderator = await open(marta);
    const phone = await open(ana, { viewport: PHONE });
    const presenter = await open(marta);
    const errors = [...watchErrors(moderator), ...watchErrors(phone), ...watchErrors(presenter)];
    await Promise.all([openLive(moderator, `/sessions/${s.slug}/qa/moderate`), openLive(phone, `/sessions/${s.slug}/qa`), openLive(presenter, `/sessions/${s.slug}/qa/present`)]);

    const panel = moderator.locator('.qa-polls-mod');
    await panel.getByLabel('Question').fill('How do you get to work?');
    await panel.getByLabel('Choices (one per line)').fill('Bus\nBike\nWalk');
    await panel.getByRole('button', { name: 'Prepare poll' }).click();
    const item = panel.locator('li.poll', { hasText: 'How do you get to work?' });
    await item.getByRole('button', { name: 'Launch' }).click();
    await panel.locator('li.poll[data-state="open"]', { hasText: 'How do you get to work?' }).waitFor({ timeout: 10_000 });

    // The attendee answers on the phone, then changes their mind.
    const poll = phone.locator('.qa-polls article.poll', { hasText: 'How do you get to work?' });
    await poll.getByLabel('Bike').check({ timeout: 10_000 });
    await poll.getByRole('button', { name: 'Send answer' }).click();
    await poll.getByText('Your answer is counted.').waitFor({ timeout: 10_000 });
    await poll.getByLabel('Walk').check();
    await poll.getByRole('button', { name: 'Change answer' }).click();
    await poll.locator('.poll-bars li[data-count="1"]', { hasText: 'Walk' }).waitFor({ timeout: 10_000 });
    await expect(poll.locator('.poll-bars li', { hasText: 'Bike' }).getAttribute('data-count')).resolves.toBe('0');

    // P puts the latest poll on the presenter screen, with its result.
    await presenter.keyboard.press('p');
    const onScreen = presenter.locator('.presenter-poll');
    await onScreen.waitFor({ timeout: 10_000 });
    await onScreen.locator('.poll-bars li[data-count="1"]', { hasText: 'Walk' }).waitFor({ timeout: 10_000 });
    await expect(onScreen.locator('.poll-results').getAttribute('data-total')).resolves.toBe('1');
    await screenshot(presenter, 'presenter-poll');
    expect(errors).toEqual([]);
  }, 90_000);
});
