import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encodeRgbPng } from '../support/png.js';

export const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');
export const WIDTHS = [1280, 390] as const;

/** Headless Chromium as CI installs it (Debian package `chromium`); CHROMIUM_PATH overrides the path. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Full-page screenshots of the current page at each width, as test/artifacts/console-<name>-<width>.png. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(ARTIFACTS, `console-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** Records CSP violations and script errors, which the console must never cause. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`csp: ${msg.text()}`);
  });
  return problems;
}


/** A real RGB PNG: a light card with a dark band, enough to see that the viewer shows it. */
export function documentPng(width = 240, height = 150): Buffer {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const band = y > 20 && y < 45;
      const photo = x > 16 && x < 80 && y > 60 && y < 135;
      const [r, g, b] = band ? [31, 78, 121] : photo ? [150, 160, 175] : [236, 240, 245];
      raw.set([r, g, b], y * row + 1 + x * 3);
    }
  }
  return encodeRgbPng(width, height, raw);
}

/** Calls `read` until `accept` holds for its answer (or the time is up, then fails with the last answer). */
export async function until<T>(read: () => Promise<T>, accept: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
