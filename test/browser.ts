/**
 * Headless Chromium from Debian's package (`apt-get install -y chromium`; .ci/run installs it
 * when missing), driven by playwright-core: Playwright's own browser downloads cannot reach
 * their servers here. Each run gets a fresh profile directory, removed afterwards.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { ServiceMissing } from "./services.js";

export const CHROMIUM = process.env.TEST_CHROMIUM ?? "/usr/bin/chromium";

/**
 * As root in a sandboxed machine, without the GPU, QUIC or any call home (this machine's
 * network is closed: background requests would only fail, many at a time).
 */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Fails the calling test file with one line when the browser is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new ServiceMissing(`Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install -y chromium fonts-wqy-microhei\` (.ci/run installs it when missing)`);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), "hub-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
