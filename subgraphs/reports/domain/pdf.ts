/**
 * The PDF of a report: its HTML page printed by headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core), so the PDF and the page show the same thing, Chinese text included
 * (with a CJK font installed, e.g. fonts-wqy-microhei). One browser per PDF: reports are printed
 * now and then, not in bulk, and no browser stays running beside the hub.
 */
import { chromium } from "playwright-core";

/** As root in a sandboxed machine, without the GPU or any call home. */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function htmlToPdf(html: string, executablePath: string): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
  try {
    const page = await browser.newPage();
    // The page carries everything inline (styles, the QR code as SVG): nothing to fetch.
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load" });
    return await page.pdf({ format: "A4", printBackground: true, margin: { top: "12mm", bottom: "12mm", left: "10mm", right: "10mm" } });
  } finally {
    await browser.close();
  }
}
