// The real server with a fresh database, and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const clientDir = path.resolve(here, '..');
export const repoDir = path.resolve(clientDir, '..');
export const artefactsDir = process.env.QUORUM_ARTEFACTS ?? path.join(repoDir, 'test-artifacts', 'web-client');

function quorumBinary(): string {
  const candidates = [
    process.env.QUORUM_BINARY,
    path.join(repoDir, 'build/release/quorum'),
    path.join(repoDir, 'build/quorum'),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`quorum binary not found (tried ${candidates.join(', ')}); build it or set QUORUM_BINARY`);
  return found;
}

export interface Server {
  base: string;
  port: number;
  dir: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database. */
  start(): Promise<void>;
  output(): string;
}

export async function startServer(): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'quorum-e2e-'));
  const db = path.join(dir, 'quorum.db');
  const webRoot = path.join(clientDir, 'dist');
  if (!existsSync(path.join(webRoot, 'index.html'))) throw new Error('web-client/dist is missing: run `npm run build` first');
  let child: ChildProcess | null = null;
  let log = '';
  let port = 0;
  let base = '';

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn(quorumBinary(), ['serve', '--port', String(port), '--db', db, '--web-root', webRoot, '--durability', 'normal'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${log}`)), 15_000);
      c.stdout!.on('data', (d: Buffer) => {
        log += d.toString();
        const m = /Quorum is running at (http:\/\/[\d.]+:(\d+))/.exec(log.slice(-2000));
        if (m && !base) {
          base = m[1];
          port = Number(m[2]);
        }
        if (m) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      c.on('exit', (code) => {
        clearTimeout(timer);
        if (child === c) child = null;
        reject(new Error(`server exited with ${code}:\n${log}`));
      });
    });

  await launch();
  return {
    get base() {
      return base;
    },
    get port() {
      return port;
    },
    dir,
    output: () => log,
    async start() {
      await launch();
    },
    async stop() {
      const c = child;
      if (!c) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 5000);
      });
      child = null;
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function launchBrowser(): Promise<Browser> {
  // playwright-core's launch() gives Chromium a fresh temporary user-data dir of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export const PHONE = { width: 360, height: 780 };
export const LAPTOP = { width: 1366, height: 900 };

export async function newPage(browser: Browser, size = PHONE): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: size,
    deviceScaleFactor: 1,
    isMobile: size.width < 500,
    hasTouch: size.width < 500,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    // An alert() would mean injected markup ran: record it and fail the test that checks.
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  (page as Page & { errors: string[] }).errors = errors;
  return { context, page };
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Runs axe-core in the page (WCAG 2.0/2.1 A and AA rules); returns serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(vs: AxeViolation[]): string {
  return vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.html).join('\n  ')}`).join('\n');
}

/** A screenshot of what is on screen (not the full page), small enough for the README. */
export async function viewportShot(page: Page, name: string): Promise<string> {
  mkdirSync(path.join(artefactsDir, 'docs'), { recursive: true });
  const file = path.join(artefactsDir, 'docs', `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(path.join(artefactsDir, 'screenshots'), { recursive: true });
  const file = path.join(artefactsDir, 'screenshots', `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
