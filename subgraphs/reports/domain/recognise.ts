/**
 * 信用互认 (F40): the receiving city's decision to recognise another city's report for a use,
 * under a recognition agreement between the two cities that covers the report's template and
 * that use. Every decision is kept; both cities see it.
 */
import type { ReportRecognition } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import { badInput, hubError } from "../../../lib/errors.js";
import { cityOf } from "../../../lib/cities.js";
import { today } from "../../../lib/dates.js";
import { requireUse } from "../templates/index.js";
import { ReportRecognised } from "../events.js";
import { emit } from "./issue.js";
import { verifyReport } from "./verify.js";
import type { ReportServices } from "./services.js";

const named = (code: string) => `${cityOf(code).name} (${code})`;

export async function recogniseReport(prisma: PrismaClient, services: ReportServices, by: { sub: string; city: string }, reportId: number, useArg: string, now = new Date()): Promise<ReportRecognition> {
  const use = requireUse(useArg);
  const report = await prisma.creditReport.findUnique({ where: { id: reportId } });
  if (!report) throw hubError("NOT_FOUND", `no credit report ${reportId}`);
  if (report.issuingCityCode === by.city) throw badInput("id", "ownReport", `report ${reportId} is your own city's; recognition is for reports of other cities`);
  const day = today(now);
  const template = services.templates.templates.find((t) => t.id === report.template);
  if (!template?.uses.includes(use)) {
    throw hubError("FORBIDDEN", `report ${reportId} was issued on template '${report.template}', which serves ${template?.uses.join(", ") ?? "no use"}; not '${use}'`, { reason: "TEMPLATE_NOT_FOR_USE" });
  }
  const agreement = services.agreements.covering(report.issuingCityCode, by.city, report.template, use, day);
  if (!agreement) {
    const inForce = services.agreements.between(report.issuingCityCode, by.city, day);
    const known = inForce.length ? `; agreements in force between them: ${inForce.map((a) => `${a.id} (templates ${a.templates.join(", ")}; uses ${a.uses.join(", ")})`).join("; ")}` : "; the two cities have no agreement in force";
    throw hubError("FORBIDDEN", `no recognition agreement between ${named(report.issuingCityCode)} and ${named(by.city)} covers template '${report.template}' for use '${use}'${known}`, {
      reason: "NO_AGREEMENT",
      missingAgreement: { cities: [report.issuingCityCode, by.city], template: report.template, use },
    });
  }
  if (report.validUntil.toISOString().slice(0, 10) < day) throw hubError("FORBIDDEN", `report ${reportId} was valid until ${report.validUntil.toISOString().slice(0, 10)}; ask ${named(report.issuingCityCode)} for a new one`, { reason: "EXPIRED" });
  const check = await verifyReport(prisma, services, report, report.hash, now);
  if (!check.authentic) throw hubError("FORBIDDEN", `report ${reportId} is not authentic: ${check.problems.map((p) => `${p.code}: ${p.message}`).join("; ")}`, { reason: "NOT_AUTHENTIC", problems: check.problems.map((p) => p.code) });
  return prisma.$transaction(async (tx) => {
    const r = await tx.reportRecognition.create({
      data: { reportId, recognisingCityCode: by.city, issuingCityCode: report.issuingCityCode, use, agreementId: agreement.id, statusChanged: check.statusChanged, decidedBy: by.sub, decidedAt: now },
    });
    await emit(tx, ReportRecognised, r.id, by.city, { recognitionId: r.id, reportId, issuingCity: report.issuingCityCode, recognisingCity: by.city, use, agreementId: agreement.id });
    return r;
  });
}
