import type { GraphQLResolveInfo } from "graphql";
import type { Resolvers } from "../../lib/service/subgraph.js";
import { selectedFields } from "../../lib/service/registration.js";
import { badInput, hubError } from "../../lib/errors.js";
import { cityOf, requireCity } from "../../lib/cities.js";
import { requireRowId as intId, requireUscc } from "../../lib/ids/index.js";
import { today } from "../../lib/dates.js";
import { checkFirst, decodeCursor, toPage } from "../../lib/service/pagination.js";
import { recognitionPage, signingKeys, type CreditReport, type ReportRecognition, type ReportSigningKey } from "./data.js";
import { issueReport } from "./domain/issue.js";
import { recogniseReport } from "./domain/recognise.js";
import { requireHash, verifyReport, type Verification } from "./domain/verify.js";
import { ReportKeyRing } from "./domain/keys.js";
import type { StatusChange } from "./domain/changes.js";
import { renderReportHtml } from "./domain/render.js";
import type { ReportContent } from "./domain/snapshot.js";
import type { Agreement } from "./domain/agreements.js";
import type { ReportsContext } from "./loaders.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const agreementView = (a: Agreement) => ({ ...a, cities: a.cities.map(cityOf) });

async function reportOrFail(ctx: ReportsContext, id: string): Promise<CreditReport> {
  const report = await ctx.loaders.report.load(intId(id, "id"));
  if (!report) throw hubError("NOT_FOUND", `no credit report ${id}`);
  return report;
}

const registerLookup = (ctx: ReportsContext, uscc: string, field: string, info: GraphQLResolveInfo) =>
  ctx.registrar.load({ subjectKind: "ENTERPRISE", subjectId: uscc, field, fields: selectedFields(info), result: "FOUND", unmasked: false });

/** A city sees the decisions it took and those on its own reports. */
const mayBeSeenBy = (ctx: ReportsContext, r: ReportRecognition) => r.recognisingCityCode === ctx.identity!.city || r.issuingCityCode === ctx.identity!.city;

/** The types the reports subgraph owns, beyond its root fields. */
const entityResolvers = {
  CreditReport: {
    __resolveReference: (ref: { id: string }, ctx: ReportsContext) => ctx.loaders.report.load(intId(ref.id, "id")),
    id: (r: CreditReport) => String(r.id),
    subject: (r: CreditReport) => ({ uscc: r.subjectId }),
    issuingCity: (r: CreditReport) => cityOf(r.issuingCityCode),
    issuedAt: (r: CreditReport) => r.issuedAt.toISOString(),
    signingKey: (r: CreditReport, _: unknown, ctx: ReportsContext) => ctx.loaders.signingKey.load(r.keyId),
    // A path, not a URL: the subgraph does not know the address partners reach the hub at.
    html: (r: CreditReport) => renderReportHtml(JSON.parse(r.content) as ReportContent, { hash: r.hash, signature: r.signature, verifyUrl: `/verify/${r.code}` }),
    recognitions: async (r: CreditReport, _: unknown, ctx: ReportsContext) => (await ctx.loaders.recognitionsOfReport.load(r.id)).filter((x) => mayBeSeenBy(ctx, x)),
  },
  ReportSigningKey: {
    city: (k: ReportSigningKey) => cityOf(k.cityCode),
    algorithm: () => "Ed25519",
    validFrom: (k: ReportSigningKey) => k.validFrom.toISOString(),
    validTo: (k: ReportSigningKey) => iso(k.validTo),
    revokedAt: (k: ReportSigningKey) => iso(k.revokedAt),
  },
  ReportVerification: {
    issuingCity: (v: Verification) => cityOf(v.report.issuingCityCode),
    keyId: (v: Verification) => v.report.keyId,
    signingKey: (v: Verification) => v.key,
    checkedAt: (v: Verification) => v.checkedAt.toISOString(),
  },
  StatusChange: {
    city: (c: StatusChange) => (c.city ? cityOf(c.city) : null),
  },
  ReportRecognition: {
    __resolveReference: async (ref: { id: string }, ctx: ReportsContext) => {
      const r = await ctx.loaders.recognition.load(intId(ref.id, "id"));
      return r && mayBeSeenBy(ctx, r) ? r : null;
    },
    id: (r: ReportRecognition) => String(r.id),
    report: (r: ReportRecognition, _: unknown, ctx: ReportsContext) => ctx.loaders.report.load(r.reportId),
    recognisingCity: (r: ReportRecognition) => cityOf(r.recognisingCityCode),
    issuingCity: (r: ReportRecognition) => cityOf(r.issuingCityCode),
    agreement: (r: ReportRecognition, _: unknown, ctx: ReportsContext) => {
      const a = ctx.reports.agreements.agreements.find((x) => x.id === r.agreementId);
      return a ? agreementView(a) : null;
    },
    decidedAt: (r: ReportRecognition) => r.decidedAt.toISOString(),
  },
};

export function createResolvers(maxPageSize: number): Resolvers {
  return {
    Query: {
      creditReport: async (_: unknown, a: { id: string }, ctx: ReportsContext, info: GraphQLResolveInfo) => {
        const report = await ctx.loaders.report.load(intId(a.id, "id"));
        // A report is the subject's credit file: reading it is a look-up (F47), registered before it leaves.
        if (report) await registerLookup(ctx, report.subjectId, "Query.creditReport", info);
        return report;
      },
      reportRecognition: async (_: unknown, a: { id: string }, ctx: ReportsContext) => {
        const r = await ctx.loaders.recognition.load(intId(a.id, "id"));
        return r && mayBeSeenBy(ctx, r) ? r : null;
      },
      verifyCreditReport: async (_: unknown, a: { id: string; hash: string }, ctx: ReportsContext, info: GraphQLResolveInfo) => {
        const hash = requireHash(a.hash);
        const report = await reportOrFail(ctx, a.id);
        const verification = await verifyReport(ctx.store.prisma, ctx.reports, report, hash);
        // It tells the caller the subject's status today (查询登记, F47): registered before it leaves, like any look-up.
        await registerLookup(ctx, report.subjectId, "Query.verifyCreditReport", info);
        return verification;
      },
      reportSigningKeys: (_: unknown, a: { cities?: string[] }, ctx: ReportsContext) =>
        signingKeys(ctx.store.prisma, (a.cities ?? []).map((c) => requireCity(c, "cities").code)),
      reportTemplates: (_: unknown, __: unknown, ctx: ReportsContext) => ctx.reports.templates.templates,
      recognitionAgreements: (_: unknown, a: { cities?: string[] }, ctx: ReportsContext) => {
        const cities = new Set((a.cities ?? []).map((c) => requireCity(c, "cities").code));
        const day = today();
        return ctx.reports.agreements.agreements
          .filter((x) => x.validFrom <= day && (x.validTo === null || day <= x.validTo) && (cities.size === 0 || x.cities.some((c) => cities.has(c))))
          .map(agreementView);
      },
      reportRecognitions: async (_: unknown, a: { report?: string; first?: number; after?: string }, ctx: ReportsContext) => {
        const first = checkFirst(a.first, maxPageSize);
        const before = a.after ? Number(decodeCursor(a.after, (k) => /^\d{1,9}$/.test(k))) : undefined;
        const rows = await recognitionPage(ctx.store.prisma, ctx.identity!.city, a.report ? intId(a.report, "report") : undefined, first + 1, before);
        return toPage(rows, first, (r) => String(r.id));
      },
    },
    Mutation: {
      issueCreditReport: (_: unknown, a: { subject: string; template?: string | null; purpose: string }, ctx: ReportsContext) =>
        issueReport(ctx.store.prisma, ctx.reports, ctx.identity!, { subject: requireUscc(a.subject, "subject"), template: a.template, purpose: a.purpose }),
      recognizeCreditReport: (_: unknown, a: { id: string; use: string }, ctx: ReportsContext) =>
        recogniseReport(ctx.store.prisma, ctx.reports, ctx.identity!, intId(a.id, "id"), a.use),
      rotateReportSigningKey: (_: unknown, __: unknown, ctx: ReportsContext) => new ReportKeyRing(ctx.store.prisma, ctx.reports.keysDir).rotate(requireCity(ctx.identity!.city, "city").code),
      revokeReportSigningKey: (_: unknown, a: { keyId: string; reason: string }, ctx: ReportsContext) => {
        const reason = a.reason.trim();
        if (reason.length === 0 || reason.length > 200) throw badInput("reason", "length", "give the reason in 1 to 200 characters");
        return new ReportKeyRing(ctx.store.prisma, ctx.reports.keysDir).revoke(ctx.identity!.city, a.keyId, reason);
      },
    },
    ...entityResolvers,
  };
}
