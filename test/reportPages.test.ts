/**
 * A report's public side through the gateway: the verification page by short code without a
 * token (a valid code, a forged code, a forged hash), the published keys, and the PDF printed
 * by headless Chromium, checked with poppler (pdftoppm: the first page is not blank; pdftotext:
 * its Chinese text is text).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createPublicKey, verify } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestHub, type TestHub } from "./support.js";
import { requireChromium } from "./browser.js";
import { ServiceMissing } from "./services.js";
import { ISSUE, PDFTOPPM, YINCHUAN, YULIN, issueAs, type Issued } from "./reportsSupport.js";

describe("the public verification page and the PDF", () => {
  let hub: TestHub;
  let origin: string;
  beforeAll(async () => {
    requireChromium();
    if (!existsSync(PDFTOPPM)) throw new ServiceMissing(`pdftoppm is not installed at ${PDFTOPPM}: install it with \`apt-get install -y poppler-utils\` (.ci/run installs it when missing)`);
    hub = await startTestHub("embedded", 6, 79);
    origin = new URL(hub.url).origin;
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it("shows an authentic report by its code without a token, refuses a forged code and a forged hash, and publishes the keys", async () => {
    const firm = await hub.store.prisma.enterprise.findFirstOrThrow({ where: { registeredCityCode: "610800" } });
    const r = await hub.query<{ issueCreditReport: Issued & { html: string } }>(ISSUE.replace("content signingKey", "content html signingKey"), { s: firm.uscc, p: "招标投标" }, { as: YULIN });
    expect(r.errors).toBeUndefined();
    const report = r.data!.issueCreditReport;
    expect(report.html).toContain(firm.name);
    expect(report.html).toContain(`/verify/${report.code}`);

    const ok = await fetch(`${origin}/verify/${report.code.toLowerCase()}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await ok.text();
    expect(html).toContain('data-authentic="true"');
    expect(html).toContain(firm.name);
    expect(html).toContain(report.hash);
    expect(html).toContain(`${origin.replace(/^http:\/\//, "")}/verify/${report.code}`);
    expect(html).toMatch(/<svg[^>]*>/); // the QR code

    const forgedCode = (report.code[0] === "A" ? "B" : "A") + report.code.slice(1);
    const missing = await fetch(`${origin}/verify/${forgedCode}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain(firm.name);
    expect((await fetch(`${origin}/verify/${report.code}/../../graphql`)).status).not.toBe(200);
    expect((await fetch(`${origin}/verify/${report.code}/report.pdf/more`)).status).toBe(404);

    const forgedHash = (report.hash[0] === "0" ? "1" : "0") + report.hash.slice(1);
    const bad = await (await fetch(`${origin}/verify/${report.code}?hash=${forgedHash}`)).text();
    expect(bad).toContain('data-authentic="false"');
    expect(bad).toContain('data-problem="HASH_MISMATCH"');
    expect((await fetch(`${origin}/verify/${report.code}`, { method: "POST" })).status).toBe(405);

    const keys = (await (await fetch(`${origin}/report-keys`)).json()) as { keys: Array<{ keyId: string; city: string; publicKey: string }> };
    const key = keys.keys.find((k) => k.keyId === report.keyId)!;
    expect(key.city).toBe("610800");
    expect(verify(null, Buffer.from(report.content), createPublicKey(key.publicKey), Buffer.from(report.signature, "base64url"))).toBe(true);
  });

  it("prints the report as a PDF whose first page, Chinese text and all, is not blank", async () => {
    const firm = await hub.store.prisma.enterprise.findFirstOrThrow({ where: { registeredCityCode: "640100" } });
    const r = await issueAs(hub, YINCHUAN, firm.uscc, undefined, "资质认定");
    const res = await fetch(`${origin}/verify/${r.code}/report.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const dir = join("test-output", "reports");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "report.pdf"), pdf);
    execFileSync(PDFTOPPM, ["-f", "1", "-l", "1", "-r", "50", "-gray", "-singlefile", join(dir, "report.pdf"), join(dir, "page1")]);
    // A PGM (P5) of the first page: count the pixels that are not white.
    const pgm = readFileSync(join(dir, "page1.pgm"));
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString("latin1"))!;
    const pixels = pgm.subarray(header[0].length);
    expect(pixels.length).toBe(Number(header[1]) * Number(header[2]));
    const inked = pixels.reduce((n, v) => n + (v < 200 ? 1 : 0), 0);
    expect(inked / pixels.length).toBeGreaterThan(0.01);
    // The Chinese text is text (a CJK font embedded), not missing-glyph boxes.
    const text = execFileSync("/usr/bin/pdftotext", ["-l", "1", join(dir, "report.pdf"), "-"]).toString();
    expect(text).toContain("公共信用信息报告");
    expect(text).toContain(firm.name);
  }, 60_000);
});
