/**
 * A report as a page (F38 item 2): the same signed snapshot as HTML, with its short code, hash,
 * key and a QR code leading to the public verification page. The PDF is this page printed by
 * headless Chromium (pdf.ts), so both show the same thing.
 */
import QRCode from "qrcode";
import type { ReportContent, Sections } from "./snapshot.js";
import type { CityRef } from "./sources.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (v: unknown) => String(v ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

const LIST_TYPES: Record<string, string> = {
  SERIOUS_DISHONESTY: "严重失信主体名单", INDUSTRY_BLACKLIST: "行业黑名单", RED: "守信激励（红名单）", KEY_ATTENTION: "重点关注名单",
  MARKET_BAN: "市场禁入", JUDGMENT_DEFAULTER: "失信被执行人", FALSE_LITIGATION: "虚假诉讼", RECTIFICATION: "整改名单",
};
const TIERS: Record<string, string> = { LOW_RISK: "低风险（A类）", NORMAL: "一般风险（B类）", HIGH_RISK: "高风险（C类）" };
const city = (c: CityRef | undefined) => esc(c?.name ?? "");

function table(headers: string[], rows: unknown[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

function sectionsHtml(s: Sections): string {
  const parts: string[] = [];
  if (s.registration) {
    const r = s.registration;
    parts.push(`<h2>一、基本登记信息</h2><dl>${([["统一社会信用代码", r.uscc], ["名称", r.name], ["法定代表人", r.legalRepresentativeName], ["登记地", r.registeredCity.name], ["注册资本（元）", r.registeredCapital], ["成立日期", r.establishedOn], ["登记状态", r.status], ["行业代码", r.industryCode], ["住所", r.address]] as const).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`);
  }
  if (s.licenses) parts.push(`<h2>行政许可</h2>${table(["决定文书号", "许可名称", "许可机关", "决定日期", "有效期至", "城市"], s.licenses.map((l) => [l.decisionNumber, l.licenseName, l.authority, l.decidedOn, l.validUntil ?? "长期", l.issuingCity.name]), "无行政许可记录")}`);
  if (s.penalties) parts.push(`<h2>行政处罚</h2>${table(["决定文书号", "处罚机关", "决定日期", "内容", "罚款（元）", "公示截止", "城市"], s.penalties.map((p) => [p.decisionNumber, p.authority, p.decidedOn, p.content, p.fineAmount ?? "—", p.publicityUntil, p.issuingCity.name]), "无公示期内的行政处罚记录")}`);
  if (s.lists) parts.push(`<h2>名单信息（各成员城市）</h2>${table(["编号", "名单", "状态", "认定部门", "城市", "认定依据", "公示截止"], s.lists.map((e) => [e.id, LIST_TYPES[e.listType] ?? e.listType, e.state, e.authority, e.issuingCity.name, `${e.basis.referenceNumber}（${e.basis.decidedOn}）`, e.publicityUntil ?? "—"]), "未列入任何成员城市的名单")}`);
  if (s.ratings) parts.push(`<h2>信用评价</h2>${table(["评价城市", "标尺", "评价机构", "等级", "分级", "评价日期", "有效期至"], s.ratings.map((r) => [r.issuingCity.name, `${r.scale.title} v${r.scale.version}`, r.evaluator, r.grade, TIERS[r.tier] ?? r.tier, r.ratedOn, r.validUntil]), "无有效的信用评价")}`);
  if (s.supervisionTier) parts.push(`<h2>信用分级分类监管</h2><p>当前监管等级：<strong>${esc(TIERS[s.supervisionTier.tier] ?? s.supervisionTier.tier)}</strong>${s.supervisionTier.rated ? "" : "（未评价，按一般风险管理）"}</p>`);
  if (s.relatedPartyRisk) {
    const r = s.relatedPartyRisk;
    parts.push(`<h2>关联方风险</h2>${r.available ? `<p>关联方风险评分：<strong>${esc(r.score)}</strong>（0–1）</p>${table(["关联方类型", "风险标记", "距离（层）", "贡献"], r.contributions.map((c) => [c.kind, c.flags.join("、"), c.distance, c.contribution]), "3 层以内无带风险标记的关联方")}` : `<p class="empty">出具时关联图谱不可用，本报告不含关联方风险。</p>`}`);
  }
  if (s.measuresInForce) {
    const rows = s.measuresInForce.map((m) => [`${m.name}（${m.code}）`, m.kind === "PUNITIVE" ? "惩戒" : "激励", m.issuingCity.name, `${m.catalogue.city} v${m.catalogue.version}`, m.trigger.basis, m.expiresOn ?? "记录存续期间"]);
    parts.push(`<h2>在执行的联合奖惩措施</h2>${table(["措施", "类别", "认定城市", "措施清单", "依据", "截至"], rows, "无")}`);
  }
  return parts.join("\n");
}

const STYLE = `body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;margin:24px;color:#1a1a1a;font-size:13px}
h1{font-size:22px;text-align:center;margin:0 0 4px}h2{font-size:15px;border-left:4px solid #b22222;padding-left:8px;margin-top:20px}
.meta{display:flex;justify-content:space-between;gap:16px;border:1px solid #ccc;padding:10px;margin:12px 0}.meta dl{margin:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}dt{color:#555}dd{margin:0}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f3f3f3}
.empty{color:#666}.mono{font-family:monospace;word-break:break-all;font-size:11px}.qr svg{width:120px;height:120px}
.banner{padding:12px;margin-bottom:16px;font-size:16px;border-radius:4px}.ok{background:#e6f4ea;border:1px solid #2e7d32}.bad{background:#fdecea;border:1px solid #c62828}
footer{margin-top:24px;color:#555;font-size:11px}`;

export interface RenderMeta { hash: string; signature: string; verifyUrl: string }

/** The report page; `banner` (already HTML) goes above it on the verification page. */
export async function renderReportHtml(c: ReportContent, meta: RenderMeta, banner = ""): Promise<string> {
  const qr = await QRCode.toString(meta.verifyUrl, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(c.template.title)} ${esc(c.code)}</title><style>${STYLE}</style></head><body>
${banner}<h1>${esc(c.template.title)}</h1>
<div class="meta"><dl><dt>报告编号（核验码）</dt><dd><strong>${esc(c.code)}</strong></dd><dt>信用主体</dt><dd>${esc(c.subject.name)}（${esc(c.subject.uscc)}）</dd>
<dt>出具城市</dt><dd>${city(c.issuingCity)}</dd><dt>出具时间</dt><dd>${esc(c.issuedAt)}</dd><dt>有效期至</dt><dd>${esc(c.validUntil)}</dd><dt>用途</dt><dd>${esc(c.purpose)}</dd></dl>
<div class="qr" title="${esc(meta.verifyUrl)}">${qr}</div></div>
${sectionsHtml(c.sections)}
<footer><p>本报告内容为规范化 JSON（RFC 8785）快照，SHA-256：<span class="mono">${esc(meta.hash)}</span></p>
<p>签名密钥：${esc(c.keyId)}（Ed25519）；签名：<span class="mono">${esc(meta.signature)}</span></p>
<p>核验：扫描二维码或访问 <span class="mono">${esc(meta.verifyUrl)}</span></p></footer></body></html>`;
}
