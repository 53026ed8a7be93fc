/** Headless Chromium for the golden-path test: Debian's build, driven by playwright-core, collecting console errors. */
import { chromium, type Browser, type Page } from "playwright-core";

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface TestBrowser {
  browser: Browser;
  page: Page;
  /** Errors the page logged or threw. */
  errors: string[];
}

export async function launchBrowser(executablePath: string): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { browser, page, errors };
}
