/**
 * The public verification page (F38 item 2): whoever holds a report, printed or not, opens
 * /verify/<code> without a token and sees whether it is authentic and what it says, and nothing
 * more (today's status is for partner cities, through verifyCreditReport). /verify/<code>/report.pdf
 * prints it; /report-keys publishes the cities' public keys for checking signatures offline.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route } from "../../../lib/service/http.js";
import type { Logger } from "../../../lib/logger.js";
import type { Store } from "../../../prisma/store.js";
import { reportByCode, signingKeys } from "../data.js";
import { authenticity } from "./verify.js";
import { esc, renderReportHtml } from "./render.js";
import { htmlToPdf } from "./pdf.js";
import type { ReportContent } from "./snapshot.js";

export const PUBLIC_PREFIXES = ["/verify", "/report-keys"];
const CODE = /^[0-9A-HJKMNP-TV-Z]{12}$/;
const HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": type, ...HEADERS, ...extra });
  res.end(body);
  return true;
}

const page = (title: string, body: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`;

function parse(text: string): ReportContent | null {
  try {
    return JSON.parse(text) as ReportContent;
  } catch {
    return null;
  }
}

export function publicPagesRoute(chromiumPath: string): (store: Store, logger: Logger) => Route {
  return (store, logger) => async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/report-keys") {
      const keys = await signingKeys(store.prisma, []);
      return send(res, 200, "application/json; charset=utf-8", JSON.stringify({ algorithm: "Ed25519", keys: keys.map((k) => ({ keyId: k.keyId, city: k.cityCode, publicKey: k.publicKey, validFrom: k.validFrom, validTo: k.validTo, revokedAt: k.revokedAt, revocationReason: k.revocationReason })) }));
    }
    if (url.pathname !== "/verify" && !url.pathname.startsWith("/verify/")) return false;
    const [, , rawCode = "", file, ...rest] = url.pathname.split("/");
    const code = rawCode.toUpperCase();
    const report = CODE.test(code) ? await reportByCode(store.prisma, code) : null;
    if (!report || rest.length > 0 || (file !== undefined && file !== "report.pdf")) {
      return send(res, 404, "text/html; charset=utf-8", page("未找到该报告 · No such report", `<p>没有核验码为 <code>${esc(rawCode)}</code> 的信用报告。请核对报告上印制的核验码。</p><p>No credit report has the code ${esc(rawCode)}.</p>`));
    }
    const content = parse(report.content);
    const key = await store.prisma.reportSigningKey.findUnique({ where: { keyId: report.keyId } });
    const presented = url.searchParams.get("hash")?.toLowerCase();
    const problems = authenticity(report, presented && /^[0-9a-f]{64}$/.test(presented) ? presented : report.hash, key, content);
    const proto = String(req.headers["x-forwarded-proto"] ?? "http");
    const verifyUrl = `${proto}://${req.headers["x-forwarded-host"] || req.headers.host}/verify/${code}`;
    if (file === "report.pdf") {
      if (problems.length || !content) return send(res, 409, "text/plain; charset=utf-8", `report ${code} is not authentic: no PDF is printed of it`);
      const html = await renderReportHtml(content, { hash: report.hash, signature: report.signature, verifyUrl });
      const started = Date.now();
      const pdf = await htmlToPdf(html, chromiumPath);
      logger.info({ code, ms: Date.now() - started, bytes: pdf.length }, "report printed");
      return send(res, 200, "application/pdf", pdf, { "content-disposition": `inline; filename="credit-report-${code}.pdf"` });
    }
    const banner = problems.length === 0
      ? `<div class="banner ok" data-authentic="true">✔ 核验通过：本报告由${esc(content?.issuingCity.name)}出具，内容与签名一致，签名密钥 ${esc(report.keyId)} 有效。${report.validUntil.toISOString().slice(0, 10) < new Date().toISOString().slice(0, 10) ? "（已过有效期）" : ""}</div>`
      : `<div class="banner bad" data-authentic="false">✘ 核验未通过：<ul>${problems.map((p) => `<li data-problem="${esc(p.code)}">${esc(p.code)}: ${esc(p.message)}</li>`).join("")}</ul></div>`;
    if (!content) return send(res, 200, "text/html; charset=utf-8", page("信用报告核验 · Verification", banner));
    return send(res, 200, "text/html; charset=utf-8", await renderReportHtml(content, { hash: report.hash, signature: report.signature, verifyUrl }, banner));
  };
}
