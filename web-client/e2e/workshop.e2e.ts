// A whole workshop in Chromium against the real server: a facilitator creates it, three
// participants in two areas join on phones, vote, comment, see results, vote again; a phone reloads
// mid-vote; the server goes away and comes back; axe-core checks every view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  describeViolations,
  launchBrowser,
  LAPTOP,
  newPage,
  pageErrors,
  PHONE,
  removeDir,
  screenshot,
  seriousViolations,
  startServer,
  viewportShot,
  type Server,
} from './harness';

const XSS = '<img src=x onerror=alert(1)>';
const TESTS = ['Purposeful', 'Proportionate', 'Responsible'] as const;
const LABEL: Record<string, string> = {
  '1': '1 Clearly fails',
  '2': '2 Mostly fails',
  '3': '3 Unsure either way',
  '4': '4 Mostly meets',
  '5': '5 Clearly meets',
  cant_say: "Can't say",
};

/** expect.poll with a timeout that suits a real browser and server (vitest's default is 1 s). */
function poll<T>(fn: () => Promise<T> | T, opts: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: 10_000, interval: 100, ...opts });
}

let server: Server;
let browser: Browser;
const contexts: BrowserContext[] = [];
let facilitator: Page;
let presenter: Page;
let code = '';
const people: { name: string; area: string; page: Page }[] = [];

async function open(size = PHONE): Promise<Page> {
  const { context, page } = await newPage(browser, size);
  contexts.push(context);
  return page;
}

async function expectAccessible(page: Page, what: string) {
  const v = await seriousViolations(page);
  expect(v, `axe-core on ${what}:\n${describeViolations(v)}`).toEqual([]);
}

async function shoot(page: Page, name: string, sizes: { label: string; size: typeof PHONE }[]) {
  const original = page.viewportSize()!;
  for (const s of sizes) {
    await page.setViewportSize(s.size);
    await page.waitForTimeout(100);
    await screenshot(page, `${name}-${s.label}`);
    // Nothing may stick out sideways on a 360 px phone.
    const overflow = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > w + 1 && !el.closest('.table-wrap, .visually-hidden'))
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    });
    expect(overflow, `${name} at ${s.label} width overflows`).toEqual([]);
  }
  await page.setViewportSize(original);
}
const BOTH = [
  { label: 'phone', size: PHONE },
  { label: 'laptop', size: LAPTOP },
];

function vote(page: Page, test: string, value: string) {
  return page.getByRole('group', { name: test }).getByRole('button', { name: LABEL[value], exact: true }).click();
}

async function expectVote(page: Page, test: string, value: string) {
  await expect
    .poll(() => page.getByRole('group', { name: test }).getByRole('button', { name: LABEL[value], exact: true }).getAttribute('aria-pressed'))
    .toBe('true');
}

async function control(label: RegExp | string) {
  const b = facilitator.getByRole('button', { name: label });
  await b.click();
  await poll(() => facilitator.getByText('Working…').count()).toBe(0);
}

async function phaseIs(page: Page, text: RegExp) {
  await poll(() => page.locator('.phase, .phase-big, .presenter-phase').first().textContent(), { timeout: 10_000 }).toMatch(text);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (server) removeDir(server.dir);
});

describe('a workshop from start to finish', () => {
  it('shows the start page, accessibly', async () => {
    const page = await open(PHONE);
    await page.goto(`${server.base}/`);
    await poll(() => page.getByRole('heading', { name: 'Quorum' }).isVisible()).toBe(true);
    await expectAccessible(page, 'the start page');
    await shoot(page, 'home', BOTH);
  });

  it('lets a facilitator create a workshop with scenarios typed in and imported', async () => {
    facilitator = await open(LAPTOP);
    await facilitator.goto(`${server.base}/new`);
    await facilitator.getByLabel('Title', { exact: true }).first().fill('Data for public benefit: Leeds and Bradford');
    await facilitator.getByLabel('Areas').fill('Leeds\nBradford');
    await facilitator.getByLabel('Title', { exact: true }).nth(1).fill('School attendance shared with early help');
    await facilitator
      .getByLabel('The proposed use of data, in plain words')
      .fill('Schools share weekly attendance of pupils with persistent absence with the early help team.');
    await facilitator.getByRole('button', { name: 'Add this scenario' }).click();
    await facilitator.getByLabel('Import scenarios from a file').setInputFiles({
      name: 'scenarios.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'title,description,data_involved,sharing\n' +
          '"GP records linked with housing data","GP practices\' records of respiratory conditions are linked with damp complaints, to prioritise repairs.","Diagnoses, addresses","GPs share with the housing team"\n',
      ),
    });
    await poll(() => facilitator.getByText('Imported 1 scenario from scenarios.csv.').isVisible()).toBe(true);
    await expectAccessible(facilitator, 'the create-a-workshop page');
    await shoot(facilitator, 'create', BOTH);
    await facilitator.getByRole('button', { name: 'Create the workshop' }).click();
    await facilitator.waitForURL(/\/facilitate\/[A-Z0-9]+#/);
    code = /\/facilitate\/([A-Z0-9]+)/.exec(facilitator.url())![1];
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    await phaseIs(facilitator, /Waiting to start/);
    await poll(() => facilitator.locator('.join-code').textContent()).toBe(`Join code: ${code}`);
    await poll(() => facilitator.locator('svg.qr').count()).toBe(1);
  });

  it('opens a presenter view with the join code and QR code', async () => {
    presenter = await open(LAPTOP);
    await presenter.goto(`${server.base}/present/${code}`);  // no key: presenters are read-only
    await poll(() => presenter.locator('.presenter-code').textContent()).toBe(code);
    await poll(() => presenter.locator('svg.qr').count()).toBe(1);
    expect(await presenter.getByRole('button').count()).toBe(0); // no controls
    await expectAccessible(presenter, 'the presenter lobby');
    await shoot(presenter, 'presenter-lobby', BOTH);
    await viewportShot(presenter, 'presenter-lobby');
  });

  it('lets three participants in two areas join on phones', async () => {
    const who = [
      { name: 'Asha', area: 'Leeds' },
      { name: '', area: 'Leeds' },
      { name: 'Ben', area: 'Bradford' },
    ];
    for (const [i, p] of who.entries()) {
      const page = await open(PHONE);
      if (i === 0) {
        // The first types the code, lower-case with a space, as people do.
        await page.goto(`${server.base}/join`);
        await expectAccessible(page, 'the code entry page');
        await page.getByLabel('Workshop code').fill(`${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`);
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(`**/join/${code}`);
      } else {
        await page.goto(`${server.base}/join/${code}`);
      }
      await poll(() => page.getByRole('heading', { name: /Leeds and Bradford/ }).isVisible()).toBe(true);
      if (i === 0) {
        await expectAccessible(page, 'the join form');
        await shoot(page, 'participant-join', BOTH);
      }
      if (p.name) await page.getByLabel('Your name (optional)').fill(p.name);
      await page.getByRole('radio', { name: p.area }).check();
      if (i === 2) await page.getByLabel('Where do you work? (optional)').selectOption('voluntary');
      await page.getByRole('button', { name: 'Join the workshop' }).click();
      await poll(() => page.getByRole('heading', { name: "You're in" }).isVisible()).toBe(true);
      people.push({ ...p, page });
    }
    await poll(() => facilitator.getByText('3 joined, 3 connected now.').isVisible()).toBe(true);
    await poll(() => presenter.locator('.presenter-count').textContent()).toBe('3 people have joined');
    await expectAccessible(people[0].page, 'the participant lobby');
  });

  it('opens the first scenario and voting on every phone', async () => {
    await control(/^Open scenario 1: School attendance/);
    await phaseIs(facilitator, /Scenario 1 of 2 is being discussed/);
    for (const p of people)
      await poll(() => p.page.getByRole('heading', { name: 'School attendance shared with early help' }).isVisible()).toBe(true);
    await control('Open voting on all three tests');
    await phaseIs(facilitator, /^Voting is open on all three tests$/);
    for (const p of people) await phaseIs(p.page, /Voting is open/);
    await poll(() => presenter.locator('.presenter-phase').textContent()).toBe('Voting is open on all three tests');
  });

  it('records votes, and a phone reloaded mid-vote keeps its identity and its votes', async () => {
    const [asha, anon, ben] = people.map((p) => p.page);
    const round1: Record<string, string[]> = {
      Purposeful: ['5', '4', '5'],
      Proportionate: ['4', '2', '1'],
      Responsible: ['4', 'cant_say', '3'],
    };
    for (const t of TESTS) {
      await vote(asha, t, round1[t][0]);
      await vote(ben, t, round1[t][2]);
    }
    await vote(anon, 'Purposeful', '4');
    await vote(anon, 'Proportionate', '2');
    await expectVote(anon, 'Proportionate', '2');
    await poll(() => anon.getByText('Saving…').count()).toBe(0);
    const before = await anon.locator('.who').textContent();
    expect(before).toMatch(/^P\d\d · Leeds$/);

    await anon.reload();
    await poll(() => anon.locator('.who').textContent()).toBe(before);
    await expectVote(anon, 'Purposeful', '4');
    await expectVote(anon, 'Proportionate', '2');
    expect(await anon.getByRole('group', { name: 'Responsible' }).locator('[aria-pressed="true"]').count()).toBe(0);
    await vote(anon, 'Responsible', 'cant_say');
    await expectVote(anon, 'Responsible', 'cant_say');

    for (const t of TESTS) await expectVote(asha, t, round1[t][0]);
    await poll(() => facilitator.locator('table').first().textContent()).toMatch(/Purposeful.*3 of 3.*Proportionate.*3 of 3.*Responsible.*3 of 3/);
    await poll(() => presenter.locator('.presenter-progress').textContent()).toMatch(/Purposeful 3 of 3 have answered/);
    // The facilitator alone sees consensus forming before the reveal.
    await poll(() => facilitator.getByText('Only you can see this until you reveal the results.').isVisible()).toBe(true);
    expect(await asha.locator('.results').count()).toBe(0);
    expect(await presenter.locator('.results').count()).toBe(0);
    await expectAccessible(asha, 'the participant voting view');
    await shoot(asha, 'participant-voting', BOTH);
    await asha.getByRole('heading', { name: 'Your view' }).scrollIntoViewIfNeeded();
    await asha.evaluate(() => document.getElementById('vote-title')!.scrollIntoView());
    await viewportShot(asha, 'participant-voting');
    await viewportShot(facilitator, 'facilitator-voting');
  });

  it('shows a comment with markup in it as plain text, and lets others endorse it', async () => {
    const [asha, , ben] = people.map((p) => p.page);
    // Comments are shown to everyone by default; hold them back first.
    await facilitator.getByLabel(/Show everyone's comments to participants/).uncheck();
    await poll(() => ben.getByText("The facilitator will show everyone's comments when it's time to discuss them.").isVisible()).toBe(true);
    await asha.getByLabel('What is your comment about?').selectOption({ label: 'The Proportionate test' });
    await asha.getByRole('radio', { name: 'Risk' }).check();
    await asha.getByLabel('Your comment', { exact: true }).fill(XSS);
    await asha.getByRole('button', { name: 'Post comment' }).click();
    await poll(() => asha.getByText('Your comment has been posted.').isVisible()).toBe(true);
    await poll(() => facilitator.locator('.comment-text').first().textContent()).toBe(XSS);
    // Not shown to others until the facilitator says so.
    expect(await ben.locator('.comment-text').count()).toBe(0);
    await facilitator.getByLabel(/Show everyone's comments to participants/).check();
    await poll(() => ben.locator('.comment-text').first().textContent()).toBe(XSS);
    for (const page of [asha, ben, facilitator]) {
      expect(await page.locator('.comment-text img, img[src="x"]').count()).toBe(0);
      expect(pageErrors(page).filter((e) => e.startsWith('dialog'))).toEqual([]);
    }
    await ben.getByRole('button', { name: /^Endorse this comment/ }).click();
    await poll(() => facilitator.locator('.endorsements').first().textContent()).toBe('1 endorsement');
    await control('Pin to top');
    await poll(() => ben.locator('.comment.pinned').count()).toBe(1);
    // The author sees it as theirs, with nothing to endorse.
    await poll(() => asha.locator('.comment.pinned .comment-author').textContent()).toBe('You');
    expect(await asha.locator('.comment.pinned').getByRole('button').count()).toBe(0);
  });

  it('keeps an answer made while the server is away and sends it once on reconnect', async () => {
    const ben = people[2].page;
    await server.stop();
    await poll(() => ben.getByText('Connection lost.').isVisible(), { timeout: 15_000 }).toBe(true);
    await vote(ben, 'Responsible', '2');
    await expectVote(ben, 'Responsible', '2');
    await ben.getByRole('radio', { name: 'Question' }).check();
    await ben.getByLabel('Your comment', { exact: true }).fill('Who checks the data is deleted afterwards?');
    await ben.getByRole('button', { name: 'Post comment' }).click();
    await poll(() => ben.getByText(/your comment is kept on this device/).isVisible()).toBe(true);
    await poll(() => ben.getByText("1 answer and 1 comment will be sent when you're back.").isVisible()).toBe(true);
    await shoot(ben, 'participant-offline', [{ label: 'phone', size: PHONE }]);
    await ben.evaluate(() => document.getElementById('vote-title')!.scrollIntoView());
    await ben.getByRole('group', { name: 'Responsible' }).scrollIntoViewIfNeeded();
    await viewportShot(ben, 'participant-offline');
    await server.start();
    await ben.getByRole('button', { name: 'Try now' }).click().catch(() => {});
    await poll(() => ben.getByText('Connection lost.').isVisible(), { timeout: 20_000 }).toBe(false);
    await poll(() => ben.getByRole('group', { name: 'Responsible' }).locator('xpath=..').locator('.vote-status').textContent(), { timeout: 15_000 }).toMatch(
      /Your answer: Mostly fails\. Saved/,
    );
    await poll(() => ben.getByText('Your comment has been posted.').isVisible()).toBe(true);
    await poll(() => facilitator.getByText('Who checks the data is deleted afterwards?').count()).toBe(1);
    // Everyone else came back by themselves.
    await poll(() => facilitator.locator('.banner-offline').count(), { timeout: 20_000 }).toBe(0);
    await poll(() => facilitator.getByText('3 joined, 3 connected now.').isVisible(), { timeout: 20_000 }).toBe(true);
  });

  it('closes voting and reveals the results everywhere', async () => {
    await control('Close voting on all three tests');
    await phaseIs(facilitator, /Voting is closed/);
    await expectAccessible(facilitator, 'the facilitator console');
    await shoot(facilitator, 'facilitator-closed', BOTH);
    await control('Reveal the results');
    await phaseIs(facilitator, /^Results are shown$/);
    for (const p of people) {
      await poll(() => p.page.getByRole('heading', { name: 'Results', exact: true }).isVisible()).toBe(true);
      // Purposeful: 5, 4, 5 → meets; Proportionate: 4, 2, 1 → not a clear verdict.
      await poll(() => p.page.getByRole('region', { name: 'Results for Purposeful' }).textContent()).toMatch(/Meets the test/);
    }
    const sentence = await people[0].page.getByRole('region', { name: 'Results for Purposeful' }).locator('.visually-hidden').first().textContent();
    expect(sentence).toMatch(/^Purposeful: 3 say it meets the test \(2 clearly, 1 mostly\)/);
    await poll(() => presenter.locator('.results').count()).toBe(1);
    await expectAccessible(people[0].page, 'the participant results');
    await expectAccessible(presenter, 'the presenter results');
    await shoot(people[0].page, 'participant-results', BOTH);
    await people[0].page.evaluate(() => document.getElementById('results-title')!.scrollIntoView());
    await viewportShot(people[0].page, 'participant-results');
    await viewportShot(presenter, 'presenter-results');
    await shoot(presenter, 'presenter-results', BOTH);
    await shoot(facilitator, 'facilitator-results', BOTH);
  });

  it('runs a second round on the same scenario', async () => {
    await control(/^Start round 2/);
    await control('Open voting on all three tests');
    await phaseIs(facilitator, /Voting is open on all three tests \(round 2\)/);
    const [asha, anon, ben] = people.map((p) => p.page);
    for (const page of [asha, anon, ben]) {
      await phaseIs(page, /Voting is open/);
      await poll(() => page.getByText('What the room said in round 1').isVisible()).toBe(true);
      expect(await page.getByRole('group', { name: 'Proportionate' }).locator('[aria-pressed="true"]').count()).toBe(0);
    }
    const round2: Record<string, string[]> = {
      Purposeful: ['5', '5', '4'],
      Proportionate: ['2', '2', '1'],
      Responsible: ['4', '4', '4'],
    };
    for (const t of TESTS)
      for (const [i, page] of [asha, anon, ben].entries()) {
        if (page === ben && t === 'Responsible') continue;
        await vote(page, t, round2[t][i]);
      }
    // From the keyboard alone: Tab along the scale, Space to choose.
    await ben.getByRole('group', { name: 'Responsible' }).getByRole('button', { name: LABEL['1'], exact: true }).focus();
    for (let i = 0; i < 3; i++) await ben.keyboard.press('Tab');
    await ben.keyboard.press('Space');
    await expectVote(ben, 'Responsible', '4');
    // Change of mind while voting is open.
    await vote(asha, 'Responsible', '5');
    await expectVote(asha, 'Responsible', '5');
    await poll(() => facilitator.locator('table').first().textContent()).toMatch(/Responsible.*3 of 3/);
    for (const page of [asha, anon, ben]) await poll(() => page.getByText('Saving…').count()).toBe(0);
    await control('Close voting on all three tests');
    await control('Reveal the results of round 2');
    await phaseIs(facilitator, /^Results are shown \(round 2\)$/);
    await poll(() => ben.getByRole('region', { name: 'Results for Proportionate' }).textContent()).toMatch(/Fails the test/);
    await poll(() => presenter.locator('.presenter-section').textContent()).toBe('Results, round 2');
  });

  it('offers every export, downloading it or saying clearly why not', async () => {
    const errorLine = facilitator.locator('#export-title ~ div .field-error');
    const download = facilitator.waitForEvent('download', { timeout: 10_000 }).catch(() => null);
    const refused = errorLine.waitFor({ timeout: 10_000 }).then(() => null).catch(() => null);
    await facilitator.getByRole('button', { name: 'Votes (CSV)' }).click();
    const d = await Promise.race([download, refused.then(() => null)]);
    if (d) {
      expect(d.suggestedFilename()).toMatch(/csv$/);
      const body = await d.createReadStream().then(async (stream) => {
        let text = '';
        for await (const chunk of stream) text += chunk;
        return text;
      });
      expect(body.split('\n').length).toBeGreaterThan(9); // a header and at least the 9 votes of round 1
      await poll(() => facilitator.getByText(/^Downloaded /).isVisible()).toBe(true);
      for (const [label, ext] of [
        ['Report (web page)', 'html'],
        ['Report (Markdown)', 'md'],
        ['Findings (JSON)', 'json'],
        ['Comments (CSV)', 'csv'],
        ['Transcript (Markdown)', 'md'],
        ['Transcript (JSON lines)', 'jsonl'],
      ]) {
        const next = facilitator.waitForEvent('download');
        await facilitator.getByRole('button', { name: label }).click();
        expect((await next).suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
      }
    } else {
      // A server without the export endpoint: the button says so instead of failing silently.
      await poll(() => errorLine.textContent()).toMatch(/cannot produce the votes\.csv export yet/);
    }
  });

  it('moves on, then ends the session only after confirming', async () => {
    await control(/^Move on to scenario 2: GP records/);
    await phaseIs(people[0].page, /Read the scenario/);
    await facilitator.getByRole('button', { name: 'End the session…' }).click();
    const dialog = facilitator.getByRole('dialog', { name: 'End the session?' });
    await poll(() => dialog.isVisible()).toBe(true);
    await expectAccessible(facilitator, 'the end-session confirmation');
    await dialog.getByRole('button', { name: 'Keep it running' }).click();
    await phaseIs(facilitator, /Scenario 2 of 2/);
    await facilitator.getByRole('button', { name: 'End the session…' }).click();
    await dialog.getByRole('button', { name: 'End the session' }).click();
    await phaseIs(facilitator, /The session has ended/);
    for (const p of people) await phaseIs(p.page, /The session has ended/);
    for (const page of [facilitator, presenter, ...people.map((p) => p.page)])
      expect(pageErrors(page), 'uncaught errors in the page').toEqual([]);
  });
});
