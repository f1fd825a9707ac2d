/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf } from './pdf-fixture.js';
import { startPlatform, type Platform } from './platform-harness.js';

/**
 * The learner's journey through the web app in a real browser (Debian's Chromium, installed by
 * scripts/infra/chromium.sh, driven by playwright-core), against the platform started by the
 * launcher with real servers. Every screen is checked with axe-core at desktop and phone width
 * and kept as a screenshot in tests/e2e/screenshots/.
 */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PAGE_ONE = [
  'Photosynthesis',
  'Photosynthesis is the process by which green plants turn light energy into chemical energy.',
  'It takes place in the chloroplasts of leaf cells, which contain the green pigment chlorophyll.',
  'During photosynthesis, carbon dioxide and water are converted into glucose and oxygen.',
  'Transpiration is the loss of water vapour through the stomata of the leaves.',
  'Stomata are small pores whose guard cells open and close to balance gas exchange and water loss.',
];
const PAGE_TWO = [
  'The Calvin cycle',
  'The light-dependent reactions happen in the thylakoid membranes and produce ATP and NADPH.',
  'The Calvin cycle happens in the stroma and uses ATP and NADPH to fix carbon dioxide into sugar.',
  'Rubisco is the enzyme that captures carbon dioxide in the Calvin cycle.',
  'Cellular respiration is the reverse process: cells break glucose down to release energy as ATP.',
  'Respiration takes place in the mitochondria of both plant and animal cells.',
];

let platform: Platform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let work: string;
let origin: string;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/infra/up.sh (it installs Debian's chromium)`);
  work = mkdtempSync(join(tmpdir(), 'web-e2e-'));
  mkdirSync(SHOTS, { recursive: true });
  // A spoken sentence, fed to the browser as its microphone and uploaded as a file.
  execFileSync('espeak-ng', ['-w', join(work, 'lecture.wav'), 'Photosynthesis happens in the leaves of green plants.']);
  platform = await startPlatform();
  // The services sign their links for localhost (PUBLIC_BASE_URL): the page is opened there too.
  origin = platform.gatewayUrl.replace('127.0.0.1', 'localhost');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // A fresh profile each launch (playwright's own temporary user data dir).
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${join(work, 'lecture.wav')}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: origin });
  await context.grantPermissions(['microphone'], { origin });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`answer ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  page.on('dialog', (d) => void d.accept());
}, 300_000);

afterAll(async () => {
  // Where the journey stopped, when it stopped early.
  await page?.screenshot({ path: join(SHOTS, 'last.png'), fullPage: true }).catch(() => undefined);
  if (problems.length) console.log(`the browser reported:\n${problems.join('\n')}`);
  await browser?.close();
  await platform?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the screen as it is now, at desktop and at phone width; a screenshot of each. */
async function checkScreen(name: string): Promise<void> {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
    // Evaluated through the debugging protocol, so the page's own policy (no inline scripts) holds.
    if (!hasAxe) await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${name} @${width}px: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    // Anything reaching past the right edge makes the page scroll sideways.
    const wide = await page.evaluate(() => {
      const edge = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > edge + 1)
        .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right ${Math.round(el.getBoundingClientRect().right)}`)
        .slice(0, 5);
    });
    expect(wide, `${name} scrolls sideways at ${width}px`).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('the web app in a browser', () => {
  it('takes a learner from sign-up to sign-out through every screen', async () => {
    const email = `web-${Date.now()}@example.com`;
    const password = 'correct horse battery';

    // The page and its policy: only its own scripts, no inline code.
    const first = await page.goto('/');
    expect(first?.status()).toBe(200);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkScreen('sign-in');

    // Sign up.
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Name (optional)').fill('Ada');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await checkScreen('sign-up');
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();

    // Upload a PDF by picking it; it is processed and the list says so without a reload.
    await page.getByLabel('Choose files').setInputFiles({ name: 'plants.pdf', mimeType: 'application/pdf', buffer: textPdf([PAGE_ONE, PAGE_TWO]) });
    await page.getByText('Uploaded: processing started.').waitFor();
    // A file of a type the platform does not take says which types it does.
    await page.getByLabel('Choose files').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00 not a document') });
    await page.getByText('This type of file is not accepted. Accepted: PDF, text (.txt, .md), PNG or JPEG images.').waitFor();
    const row = page.locator('.doc-row', { hasText: 'plants' });
    await row.getByText('Ready').waitFor({ timeout: 90_000 });

    // Upload a recording by picking it too, over a slow link: the bar shows the bytes leaving.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 40_000 });
    const seen: number[] = [];
    const watcher = setInterval(() => {
      void page
        .locator('progress')
        .first()
        .evaluate((el) => (el as HTMLProgressElement).value)
        .then((v) => seen.push(v), () => undefined);
    }, 100);
    await page.getByLabel('Choose files').setInputFiles(join(work, 'lecture.wav'));
    await page.getByText('Uploaded: transcription started (see Recordings).').waitFor({ timeout: 60_000 });
    clearInterval(watcher);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    expect(seen.some((v) => v > 0 && v < 100), `progress seen: ${seen.join(',')}`).toBe(true);
    await checkScreen('library');

    // Search: the snippet is highlighted and opens the page it came from.
    await page.getByLabel('Search text').fill('Rubisco enzyme');
    await page.getByRole('button', { name: 'Search' }).click();
    const hit = page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first();
    await expect.poll(() => hit.locator('mark').count()).toBeGreaterThan(0);
    await checkScreen('search');
    await hit.getByRole('link').click();
    await page.getByRole('heading', { name: 'Page 2 of 2' }).waitFor();
    await expect.poll(() => page.locator('.text-body').textContent()).toContain('Rubisco');

    // The document: its notes, edited; a page read aloud.
    await page.getByRole('link', { name: '← Previous page' }).click();
    await page.getByRole('heading', { name: 'Page 1 of 2' }).waitFor();
    await page.getByRole('heading', { name: /^Summary/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: /^Key terms/ }).waitFor();
    await page.getByRole('button', { name: 'Edit summary' }).click();
    await page.getByRole('textbox', { name: 'Summary' }).fill('Plants make sugar from light in their chloroplasts.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Plants make sugar from light in their chloroplasts.').waitFor();
    await page.getByRole('button', { name: 'Read this page aloud' }).click();
    const audio = page.getByLabel('Page 1 read aloud');
    await audio.waitFor({ timeout: 60_000 });
    await expect.poll(() => audio.evaluate((el) => (el as HTMLAudioElement).duration), { timeout: 30_000 }).toBeGreaterThan(0.5);
    await checkScreen('document');

    // The tutor: a question answered from the document; its citation opens the cited page.
    await page.getByRole('link', { name: 'Ask the tutor' }).click();
    await page.getByRole('checkbox', { name: 'plants' }).isChecked().then((v) => expect(v).toBe(true));
    await checkScreen('tutor');
    await page.getByRole('button', { name: 'Start the conversation' }).click();
    await page.getByLabel('Your question').fill('Which enzyme captures carbon dioxide in the Calvin cycle?');
    await page.keyboard.press('Enter');
    const answer = page.locator('.message.assistant').first();
    await answer.waitFor({ timeout: 60_000 });
    expect(await answer.textContent()).toMatch(/Rubisco/);
    await page.getByLabel('Your question').fill('Who won the football world cup in 1966?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.locator('.message.assistant').nth(1).getByText('Not in your documents').waitFor({ timeout: 60_000 });
    await checkScreen('conversation');
    await answer.getByRole('link', { name: /plants, page 2/ }).click();
    await page.getByRole('heading', { name: 'Page 2 of 2' }).waitFor();

    // A quiz from the document, taken one question at a time, then graded with explanations.
    await page.getByRole('link', { name: 'Make a quiz' }).click();
    await page.getByLabel('Number of questions').fill('3');
    await checkScreen('quizzes');
    await page.getByRole('button', { name: 'Make the quiz' }).click();
    await page.getByRole('button', { name: 'Submit answers' }).waitFor({ timeout: 60_000 });
    for (;;) {
      const radio = page.locator('.question input[type=radio]').first();
      if (await radio.count()) await radio.check();
      else await page.locator('.question input').first().fill('chlorophyll');
      const next = page.getByRole('button', { name: 'Next question' });
      if (await next.isDisabled()) break;
      await next.click();
    }
    await checkScreen('quiz');
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByRole('heading', { name: /^Score: \d+ of \d+/ }).waitFor();
    expect(await page.locator('.results blockquote').count()).toBeGreaterThan(0);
    await page.getByRole('list').filter({ hasText: /\d+ of \d+ \(\d+%\)/ }).waitFor();
    await checkScreen('quiz-results');

    // Recordings: one recorded in the browser; the uploaded one transcribed, read with its timings.
    await page.getByRole('link', { name: 'Recordings' }).click();
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.getByRole('button', { name: /Stop recording/ }).waitFor();
    await page.waitForTimeout(3000);
    await page.getByRole('button', { name: /Stop recording/ }).click();
    await page.locator('.doc-row', { hasText: /^recording-.*\.webm/ }).waitFor({ timeout: 30_000 });
    await checkScreen('recordings');
    await page.getByRole('link', { name: 'lecture.wav' }).click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor({ timeout: 90_000 });
    await expect.poll(() => page.locator('main').textContent()).toMatch(/\d:\d\d–\d:\d\d|leaves|green|plants/i);
    await page.getByRole('button', { name: 'Save as a document' }).click();
    await page.getByText('Saved as a document').waitFor();
    await checkScreen('recording');

    // Download the PDF as it was uploaded, then delete it: it leaves the library.
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByRole('link', { name: 'plants' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('plants.pdf');
    expect(readFileSync((await download.path())!, 'latin1')).toMatch(/^%PDF-1\.4/);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'plants' }).count()).toBe(0);

    // Sign out; then back in with the keyboard alone.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('learner.session'))).toBeNull();
    await page.getByLabel('Email').focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();

    // Delete the account from its screen: the password confirms it; afterwards it cannot sign in.
    await page.locator('header .account a').click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await checkScreen('account');
    await page.getByLabel('Password to confirm').fill('not the password');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The password is not correct');
    await page.getByLabel('Password to confirm').fill(password);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Your account was deleted/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not correct/);

    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p) || p.startsWith('page error'))).toEqual([]);
  }, 600_000);
});
